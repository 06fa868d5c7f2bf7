#pragma once
// The SQL injection detector's paranoid rules (sensitivity 3, comparable to CRS paranoia levels
// 3 and 4): signs that are attacks only now and then and ordinary text often enough that they
// never count at the default level.

#include "waf/detect/detector.h"

namespace rampart::waf {

// Appends at most one kSuspicious hit: a value that is a bare SQL system database, table or
// catalog column name ("tempdb", "schema_name", "[msdb]"), or one made mostly of the characters
// SQL syntax is built from ("(((())))", "'))#;--", "!@#$%^&*()-=").
void paranoid_sql(const Scan& s, Hits& out);

}  // namespace rampart::waf
