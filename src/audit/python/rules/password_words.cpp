#include "audit/python/rules/password_words.h"

#include "audit/python/imports.h"
#include "audit/python/rules/common.h"
#include "common/strings.h"

namespace rampart::audit::python::rules {

namespace {

bool mentions_at(TSNode n, std::string_view src, int depth) {
  if (depth > 64) return false;
  std::string_view k = kind(n);
  if (k == "identifier") return password_like(text(n, src));
  if (k == "string") {
    auto v = string_value(n, src);
    return v && v->size() < 40 && password_like(*v);
  }
  if (k == "call") {
    // hash(password.encode()) mentions it; hash(get_salt()) does not look inside callees' names.
    TSNode fn = field(n, "function");
    if (is(fn, "attribute") && mentions_at(field(fn, "object"), src, depth + 1)) return true;
    for (TSNode a : named_children(field(n, "arguments"))) {
      if (mentions_at(a, src, depth + 1)) return true;
    }
    return false;
  }
  if (k == "attribute") return password_like(text(field(n, "attribute"), src));
  for (TSNode c : named_children(n)) {
    if (mentions_at(c, src, depth + 1)) return true;
  }
  return false;
}

}  // namespace

bool mentions_password(TSNode n, std::string_view src) { return mentions_at(n, src, 0); }

std::string hashlib_algorithm(TSNode call, const std::string& q, std::string_view src) {
  if (!starts_with(q, "hashlib.") && !starts_with(q, "Crypto.Hash.") &&
      !starts_with(q, "cryptography.hazmat.primitives.hashes.")) {
    return "";
  }
  std::string alg = q.substr(q.rfind('.') + 1);
  if (alg == "new") {
    CallArgs a = call_args(call, src);
    auto name = string_value(a.get(0, "name"), src);
    return name ? to_lower(*name) : "";
  }
  static constexpr std::string_view kAlgs[] = {
      "md5",      "sha1",    "sha224",  "sha256", "sha384", "sha512", "sha3_256",
      "sha3_512", "blake2b", "blake2s", "MD5",    "SHA1",   "SHA256", "SHA512"};
  for (auto a : kAlgs) {
    if (alg == a) return to_lower(alg);
  }
  return "";
}

}  // namespace rampart::audit::python::rules
