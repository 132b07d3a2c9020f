// The RAII transaction and savepoint guards shared by both adapters: commit is
// explicit; leaving the scope uncommitted (an exception, an early return) rolls back.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "ctorm/errors.hpp"

namespace ctorm {

// Connection needs: void command(const std::string&) that throws on failure,
// void command_noexcept(const std::string&) noexcept, and std::uint64_t next_savepoint_id().
template <class Connection>
class basic_savepoint {
public:
    basic_savepoint(const basic_savepoint&) = delete;
    basic_savepoint& operator=(const basic_savepoint&) = delete;
    basic_savepoint(basic_savepoint&& other) noexcept
        : connection_(std::exchange(other.connection_, nullptr)), name_(std::move(other.name_)) {}
    basic_savepoint& operator=(basic_savepoint&&) = delete;
    ~basic_savepoint() {
        if (connection_) {
            connection_->command_noexcept("ROLLBACK TO SAVEPOINT " + name_);
            connection_->command_noexcept("RELEASE SAVEPOINT " + name_);
        }
    }

    // Keeps the work done since the savepoint (it commits with the transaction).
    void release() {
        if (!connection_) throw transaction_error("release(): this savepoint has already been released or rolled back");
        connection_->command("RELEASE SAVEPOINT " + name_);
        connection_ = nullptr;
    }
    // Undoes the work done since the savepoint; the transaction goes on.
    void rollback() {
        if (!connection_)
            throw transaction_error("rollback(): this savepoint has already been released or rolled back");
        connection_->command("ROLLBACK TO SAVEPOINT " + name_);
        Connection* c = std::exchange(connection_, nullptr);
        c->command("RELEASE SAVEPOINT " + name_);
    }
    bool active() const noexcept { return connection_ != nullptr; }
    const std::string& name() const noexcept { return name_; }

private:
    template <class>
    friend class basic_transaction;
    explicit basic_savepoint(Connection* c)
        : connection_(c), name_("ctorm_savepoint_" + std::to_string(c->next_savepoint_id())) {
        c->command("SAVEPOINT " + name_);
    }
    Connection* connection_;
    std::string name_;
};

template <class Connection>
class basic_transaction {
public:
    basic_transaction(const basic_transaction&) = delete;
    basic_transaction& operator=(const basic_transaction&) = delete;
    basic_transaction(basic_transaction&& other) noexcept : connection_(std::exchange(other.connection_, nullptr)) {}
    basic_transaction& operator=(basic_transaction&&) = delete;
    ~basic_transaction() {
        if (connection_) connection_->command_noexcept("ROLLBACK");
    }

    void commit() {
        if (!connection_)
            throw transaction_error("commit(): this transaction has already been committed or rolled back");
        // Only a COMMIT that succeeded ends the guard's duty: if it fails (a
        // busy database), the destructor still rolls back.
        connection_->command("COMMIT");
        connection_ = nullptr;
    }
    void rollback() {
        if (!connection_)
            throw transaction_error("rollback(): this transaction has already been committed or rolled back");
        std::exchange(connection_, nullptr)->command("ROLLBACK");
    }
    // Forgets the transaction without ending it (no statement): the caller
    // ends it (ctorm::async_session, whose destructor cannot wait for a
    // ROLLBACK, has its connection send one).
    void abandon() noexcept { connection_ = nullptr; }
    // A nested unit of work: undone alone by its rollback(), kept by release().
    [[nodiscard]] basic_savepoint<Connection> savepoint() {
        if (!connection_)
            throw transaction_error("savepoint(): this transaction has already been committed or rolled back");
        return basic_savepoint<Connection>(connection_);
    }
    bool active() const noexcept { return connection_ != nullptr; }

    // Made by the adapters' begin(), after they have issued BEGIN.
    explicit basic_transaction(Connection* c) noexcept : connection_(c) {}

private:
    Connection* connection_;
};

}  // namespace ctorm
