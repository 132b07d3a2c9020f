// PostgreSQL's SQLSTATEs, their condition names, and the exception each becomes.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "ctorm/dialect/postgres.hpp"
#include "ctorm/errors.hpp"

namespace ctorm {

namespace detail {

struct named_sqlstate {
    std::string_view sqlstate;
    std::string_view name;
};

// The conditions a ctorm user is likely to meet, named as in PostgreSQL's
// Appendix A, so what() reads "unique_violation" and not only "23505".
inline constexpr named_sqlstate postgres_condition_names[] = {
    {"08000", "connection_exception"},
    {"08001", "sqlclient_unable_to_establish_sqlconnection"},
    {"08003", "connection_does_not_exist"},
    {"08004", "sqlserver_rejected_establishment_of_sqlconnection"},
    {"08006", "connection_failure"},
    {"08007", "transaction_resolution_unknown"},
    {"08P01", "protocol_violation"},
    {"0A000", "feature_not_supported"},
    {"21000", "cardinality_violation"},
    {"22001", "string_data_right_truncation"},
    {"22003", "numeric_value_out_of_range"},
    {"22004", "null_value_not_allowed"},
    {"22007", "invalid_datetime_format"},
    {"22008", "datetime_field_overflow"},
    {"22012", "division_by_zero"},
    {"22021", "character_not_in_repertoire"},
    {"22023", "invalid_parameter_value"},
    {"22P02", "invalid_text_representation"},
    {"23000", "integrity_constraint_violation"},
    {"23001", "restrict_violation"},
    {"23502", "not_null_violation"},
    {"23503", "foreign_key_violation"},
    {"23505", "unique_violation"},
    {"23514", "check_violation"},
    {"23P01", "exclusion_violation"},
    {"25001", "active_sql_transaction"},
    {"25006", "read_only_sql_transaction"},
    {"25P01", "no_active_sql_transaction"},
    {"25P02", "in_failed_sql_transaction"},
    {"25P03", "idle_in_transaction_session_timeout"},
    {"28000", "invalid_authorization_specification"},
    {"28P01", "invalid_password"},
    {"3D000", "invalid_catalog_name"},
    {"3F000", "invalid_schema_name"},
    {"40000", "transaction_rollback"},
    {"40001", "serialization_failure"},
    {"40002", "transaction_integrity_constraint_violation"},
    {"40003", "statement_completion_unknown"},
    {"40P01", "deadlock_detected"},
    {"42000", "syntax_error_or_access_rule_violation"},
    {"42501", "insufficient_privilege"},
    {"42601", "syntax_error"},
    {"42701", "duplicate_column"},
    {"42702", "ambiguous_column"},
    {"42703", "undefined_column"},
    {"42704", "undefined_object"},
    {"42710", "duplicate_object"},
    {"42725", "ambiguous_function"},
    {"42803", "grouping_error"},
    {"42804", "datatype_mismatch"},
    {"42830", "invalid_foreign_key"},
    {"42846", "cannot_coerce"},
    {"42883", "undefined_function"},
    {"42P01", "undefined_table"},
    {"42P02", "undefined_parameter"},
    {"42P04", "duplicate_database"},
    {"42P06", "duplicate_schema"},
    {"42P07", "duplicate_table"},
    {"42P18", "indeterminate_datatype"},
    {"53000", "insufficient_resources"},
    {"53100", "disk_full"},
    {"53200", "out_of_memory"},
    {"53300", "too_many_connections"},
    {"54000", "program_limit_exceeded"},
    {"55000", "object_not_in_prerequisite_state"},
    {"55006", "object_in_use"},
    {"55P03", "lock_not_available"},
    {"57000", "operator_intervention"},
    {"57014", "query_canceled"},
    {"57P01", "admin_shutdown"},
    {"57P02", "crash_shutdown"},
    {"57P03", "cannot_connect_now"},
    {"57P04", "database_dropped"},
    {"57P05", "idle_session_timeout"},
    {"58000", "system_error"},
    {"58030", "io_error"},
    {"XX000", "internal_error"},
    {"XX001", "data_corrupted"},
    {"XX002", "index_corrupted"},
};

inline std::string_view postgres_condition_name(std::string_view sqlstate) noexcept {
    for (const auto& entry : postgres_condition_names) {
        if (entry.sqlstate == sqlstate) {
            return entry.name;
        }
    }
    return {};
}

// The code as what() shows it: "postgres SQLSTATE 23505 unique_violation".
[[gnu::cold]] inline std::string postgres_code_text(std::string_view sqlstate) {
    std::string out = "postgres SQLSTATE ";
    out += sqlstate;
    if (auto name = postgres_condition_name(sqlstate); !name.empty()) {
        out += ' ';
        out += name;
    }
    return out;
}

}  // namespace detail

[[noreturn, gnu::cold]] inline void throw_postgres_error(std::string_view sqlstate, std::string_view message,
                                                         std::string_view sql, std::string_view constraint) {
    database_error_details details{
        postgres_dialect::name,
        0,
        std::string(sqlstate),
        std::string(message),
        std::string(sql),
        std::string(constraint),
        detail::postgres_code_text(sqlstate),
    };
    if (sqlstate.size() != 5) {
        throw database_error(std::move(details));
    }
    const auto condition_class = sqlstate.substr(0, 2);
    if (condition_class == "23") {
        if (sqlstate == "23505") throw unique_violation(std::move(details));
        if (sqlstate == "23503") throw foreign_key_violation(std::move(details));
        if (sqlstate == "23502") throw not_null_violation(std::move(details));
        if (sqlstate == "23514") throw check_violation(std::move(details));
        throw integrity_error(std::move(details));
    }
    if (condition_class == "22") throw data_error(std::move(details));
    if (sqlstate == "25P02") throw in_failed_transaction(std::move(details));
    if (sqlstate == "40001") throw serialization_failure(std::move(details));
    if (sqlstate == "40P01") throw deadlock_detected(std::move(details));
    // The server ended the session (shutdown, idle timeouts): the connection is
    // gone, which is what a pool needs to know.
    if (condition_class == "08" || sqlstate == "57P01" || sqlstate == "57P02" || sqlstate == "57P03" ||
        sqlstate == "57P05" || sqlstate == "25P03") {
        throw connection_error(std::move(details));
    }
    // NOWAIT or lock_timeout: the PostgreSQL counterpart of SQLITE_BUSY.
    if (sqlstate == "55P03") throw busy_error(std::move(details));
    if (condition_class == "42" || condition_class == "0A" || condition_class == "26" || condition_class == "34" ||
        condition_class == "3D" || condition_class == "3F" || condition_class == "44") {
        throw programming_error(std::move(details));
    }
    if (condition_class == "40" || condition_class == "53" || condition_class == "54" || condition_class == "55" ||
        condition_class == "57" || condition_class == "58" || condition_class == "28" || condition_class == "HV" ||
        sqlstate == "XX001" || sqlstate == "XX002") {
        throw operational_error(std::move(details));
    }
    throw database_error(std::move(details));
}

}  // namespace ctorm
