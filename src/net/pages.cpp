#include "net/pages.h"

#include "http/message.h"

namespace rampart::net {

std::string status_page(int status) {
  const char* text = "The request could not be served.";
  switch (status) {
    case 400:
      text = "The request was malformed.";
      break;
    case 403:
      text = "The request was refused.";
      break;
    case 408:
      text = "The request took too long to arrive.";
      break;
    case 413:
      text = "The request body is too large.";
      break;
    case 414:
      text = "The request URI is too long.";
      break;
    case 417:
      text = "The expectation in the request cannot be met.";
      break;
    case 421:
      text = "This server does not serve that host name.";
      break;
    case 429:
      text = "Too many requests: try again later.";
      break;
    case 431:
      text = "The request headers are too large.";
      break;
    case 502:
      text = "The application is not reachable right now.";
      break;
    case 503:
      text = "The service is unavailable right now.";
      break;
    case 504:
      text = "The application took too long to answer.";
      break;
    case 505:
      text = "This HTTP version is not supported.";
      break;
    default:
      break;
  }
  std::string title = std::to_string(status) + " " + std::string(http::reason_phrase(status));
  return "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>" + title +
         "</title></head>\n<body><h1>" + title + "</h1>\n<p>" + text + "</p></body></html>\n";
}

}  // namespace rampart::net
