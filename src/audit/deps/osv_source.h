#pragma once
// Reads an OSV export in any of the forms it is published in: a zip of JSON files (the
// all.zip of OSV's storage bucket), a folder of JSON files, or JSON Lines (one advisory a line,
// gzip-compressed or not). Every document is handed to `visit` with a name for errors
// ("db.jsonl.gz:12", "all.zip:PYSEC-2021-1.json"). A truncated or corrupt file is an error that
// names it, never a crash; nothing is trusted to be small (sizes are capped).

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"

namespace rampart::audit::deps {

using OsvVisitor = std::function<Status(const nlohmann::json& doc, const std::string& where)>;

Status read_osv_source(const std::string& path, const OsvVisitor& visit);

// Decompresses gzip data held in memory (for JSON Lines .gz); an error names `what`.
StatusOr<std::string> gunzip(std::string_view data, const std::string& what);

}  // namespace rampart::audit::deps
