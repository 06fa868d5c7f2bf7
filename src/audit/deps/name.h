#pragma once
// PEP 503 project names: runs of '-', '_' and '.' become one '-', letters are lowercased, so
// that "Flask_SQLAlchemy", "flask.sqlalchemy" and "flask-sqlalchemy" are one project.

#include <string>
#include <string_view>

namespace rampart::audit::deps {

std::string normalize_name(std::string_view name);
// A valid project name per the core metadata spec: ASCII letters and digits at both ends, and
// letters, digits, '-', '_' and '.' between.
bool is_valid_name(std::string_view name);

}  // namespace rampart::audit::deps
