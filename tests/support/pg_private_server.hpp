// A throwaway PostgreSQL cluster of one test executable's own, for the faults
// that hit a whole server (a restart, a changed max_connections), so that the
// fixture's server, which other tests use at the same time, is never
// restarted. Started by scripts/pg_cluster on first use, stopped and removed
// at exit. Needs CTORM_TEST_BASH and CTORM_TEST_PG_CLUSTER, which
// tests/CMakeLists.txt compiles into the fault tests.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include <unistd.h>

namespace ctorm_test {

class private_server {
public:
    private_server() : state_(std::filesystem::temp_directory_path() / ("ctorm-fault-" + std::to_string(::getpid()))) {
        std::filesystem::create_directories(state_);
        run("start");
        std::ifstream in(state_ / "url");
        std::getline(in, url_);
        if (url_.empty()) throw std::runtime_error("ctorm tests: pg_cluster start wrote no URL in " + state_.string());
    }
    private_server(const private_server&) = delete;
    private_server& operator=(const private_server&) = delete;
    ~private_server() {
        try {
            run("stop");
            std::filesystem::remove_all(state_);
        } catch (...) {
        }
    }
    const std::string& url() const { return url_; }
    // A fast shutdown and a new start on the same port: every session ends.
    void restart() { run("restart"); }

private:
    // The script ignores CTORM_TEST_PG_URL only when it is unset.
    void run(const std::string& command) {
        const std::string line = "env -u CTORM_TEST_PG_URL \"" CTORM_TEST_BASH "\" \"" CTORM_TEST_PG_CLUSTER "\" " +
                                 command + " \"" + state_.string() + "\" >/dev/null";
        if (std::system(line.c_str()) != 0) throw std::runtime_error("ctorm tests: " + line + " failed");
    }
    std::filesystem::path state_;
    std::string url_;
};

// This executable's private server, started on first use.
inline private_server& own_server() {
    static private_server server;
    return server;
}

}  // namespace ctorm_test
