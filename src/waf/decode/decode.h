#pragma once
// Decoders applied to every value once, before detection. Each is bounded: output is never longer
// than input, and the repeated decoding in decode_value() stops after kMaxRounds.

#include <optional>
#include <string>
#include <string_view>

namespace rampart::waf {

inline constexpr int kMaxDecodeRounds = 3;

// %XX and %uXXXX (as UTF-8); invalid escapes stay as they are. '+' becomes a space only when
// plus_is_space (form and query encoding).
std::string url_decode(std::string_view in, bool plus_is_space);
// Named (the common HTML5 ones), decimal and hex character references, with or without ';'.
std::string html_entity_decode(std::string_view in);
// JavaScript / JSON escapes: \uXXXX, \u{X..}, \xHH and the one-letter escapes of quotes and
// backslash. Other backslashes are kept (Windows paths).
std::string js_unescape(std::string_view in);
// Normalizes UTF-8: overlong encodings of ASCII become ASCII, fullwidth forms (U+FF01..U+FF5E)
// and circled digits (U+2460..U+2468, U+24EA; URL parsers fold them, SSRF payloads use them)
// become their ASCII counterparts, NUL bytes are removed. Invalid sequences are kept byte for byte.
std::string normalize_utf8(std::string_view in);
// The full pipeline: URL decoding repeated while it changes, then entities, escapes and UTF-8
// normalization, all repeated while they change (at most kMaxDecodeRounds rounds).
std::string decode_value(std::string_view in);
// The decoded text when `in` is valid base64 (standard or URL-safe, 16+ characters) of mostly
// printable text; otherwise nothing.
std::optional<std::string> decode_base64_text(std::string_view in);

std::string ascii_lowercase(std::string_view in);

}  // namespace rampart::waf
