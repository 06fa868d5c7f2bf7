#pragma once
// The frameworks' request sources and the sanitizers that make request data safe for a kind of
// sink. Flask/Quart (`request.args` ...), Django (`request.GET` ...), Starlette/FastAPI
// (`request.query_params`, `await request.json()` ...), aiohttp (`request.match_info`, `await
// request.post()` ...), Django REST framework (`request.data`, `request.query_params`).

#include <cstdint>
#include <string_view>

namespace rampart::audit::python {

// An attribute of a request object that holds client data.
bool is_request_attribute(std::string_view attr);
// A method of a request object that returns client data (get_json, json, body, form, post ...).
bool is_request_method(std::string_view method);
// A parameter that is the request object, by name or annotation ("Request", "HttpRequest").
bool is_request_parameter(std::string_view name, std::string_view annotation);
// FastAPI parameters whose annotation makes them safe or not client data.
bool is_clean_annotation(std::string_view annotation);

// What a call does to request data, by the callee's qualified name and last component:
// kSinkAll when its result is never attacker-shaped text (int(), len(), isdigit()), a SinkKind
// mask for an escaping function (html.escape -> kSinkHtml), 0 otherwise.
uint8_t sanitizer_mask(std::string_view qualified, std::string_view last);
// Methods that build a new string from their receiver and arguments.
bool is_string_method(std::string_view method);
// Methods that put their arguments into their receiver (list.append, dict.update ...).
bool is_container_mutator(std::string_view method);

}  // namespace rampart::audit::python
