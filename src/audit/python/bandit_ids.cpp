#include "audit/python/bandit_ids.h"

#include <cctype>

namespace rampart::audit::python {

namespace {

// Bandit 1.7's plugins and blacklist entries. Ids with no rampart counterpart are listed too, so
// that `# nosec B101` is understood (and mutes no rampart rule) rather than mistaken for a bare
// `# nosec`.
constexpr BanditTest kTests[] = {
    {"B101", "assert_used", ""},
    {"B102", "exec_used", "RA071"},
    {"B103", "set_bad_file_permissions", ""},
    {"B104", "hardcoded_bind_all_interfaces", ""},
    {"B105", "hardcoded_password_string", "RA050"},
    {"B106", "hardcoded_password_funcarg", "RA050"},
    {"B107", "hardcoded_password_default", "RA050"},
    {"B108", "hardcoded_tmp_directory", ""},
    {"B110", "try_except_pass", ""},
    {"B112", "try_except_continue", ""},
    {"B113", "request_without_timeout", ""},
    {"B201", "flask_debug_true", "RA060"},
    {"B202", "tarfile_unsafe_members", "RA074"},
    {"B301", "pickle", "RA072"},
    {"B302", "marshal", "RA072"},
    {"B303", "md5", "RA040,RA041"},
    {"B304", "ciphers", ""},
    {"B305", "cipher_modes", ""},
    {"B306", "mktemp_q", ""},
    {"B307", "eval", "RA071"},
    {"B308", "mark_safe", "RA011"},
    {"B309", "httpsconnection", "RA064"},
    {"B310", "urllib_urlopen", "RA073"},
    {"B311", "random", ""},
    {"B312", "telnetlib", ""},
    {"B313", "xml_bad_cElementTree", "RA076"},
    {"B314", "xml_bad_ElementTree", "RA076"},
    {"B315", "xml_bad_expatreader", "RA076"},
    {"B316", "xml_bad_expatbuilder", "RA076"},
    {"B317", "xml_bad_sax", "RA076"},
    {"B318", "xml_bad_minidom", "RA076"},
    {"B319", "xml_bad_pulldom", "RA076"},
    {"B320", "xml_bad_etree", "RA076"},
    {"B321", "ftplib", ""},
    {"B322", "input", ""},
    {"B323", "unverified_context", "RA064"},
    {"B324", "hashlib_new_insecure_functions", "RA040,RA041"},
    {"B325", "tempnam", ""},
    {"B401", "import_telnetlib", ""},
    {"B402", "import_ftplib", ""},
    {"B403", "import_pickle", "RA072"},
    {"B404", "import_subprocess", ""},
    {"B405", "import_xml_etree", "RA076"},
    {"B406", "import_xml_sax", "RA076"},
    {"B407", "import_xml_expat", "RA076"},
    {"B408", "import_xml_minidom", "RA076"},
    {"B409", "import_xml_pulldom", "RA076"},
    {"B410", "import_lxml", "RA076"},
    {"B411", "import_xmlrpclib", "RA076"},
    {"B412", "import_httpoxy", ""},
    {"B413", "import_pycrypto", ""},
    {"B415", "import_pyghmi", ""},
    {"B501", "request_with_no_cert_validation", "RA064"},
    {"B502", "ssl_with_bad_version", ""},
    {"B503", "ssl_with_bad_defaults", ""},
    {"B504", "ssl_with_no_version", ""},
    {"B505", "weak_cryptographic_key", ""},
    {"B506", "yaml_load", "RA072"},
    {"B507", "ssh_no_host_key_verification", ""},
    {"B508", "snmp_insecure_version", ""},
    {"B509", "snmp_weak_cryptography", ""},
    {"B601", "paramiko_calls", "RA070"},
    {"B602", "subprocess_popen_with_shell_equals_true", "RA070"},
    {"B603", "subprocess_without_shell_equals_true", "RA070"},
    {"B604", "any_other_function_with_shell_equals_true", "RA070"},
    {"B605", "start_process_with_a_shell", "RA070"},
    {"B606", "start_process_with_no_shell", "RA070"},
    {"B607", "start_process_with_partial_path", "RA070"},
    {"B608", "hardcoded_sql_expressions", "RA001"},
    {"B609", "linux_commands_wildcard_injection", "RA070"},
    {"B610", "django_extra_used", "RA001"},
    {"B611", "django_rawsql_used", "RA001"},
    {"B612", "logging_config_insecure_listen", ""},
    {"B701", "jinja2_autoescape_false", "RA012"},
    {"B702", "use_of_mako_templates", "RA012"},
    {"B703", "django_mark_safe", "RA011"},
    {"B704", "markupsafe_markup_xss", "RA011"},
};

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

}  // namespace

std::span<const BanditTest> bandit_tests() { return kTests; }

const BanditTest* find_bandit_test(std::string_view s) {
  for (const auto& t : kTests) {
    if (iequals(s, t.id) || s == t.name) return &t;
  }
  return nullptr;
}

}  // namespace rampart::audit::python
