// The table of guards, in the order their request steps run.
#include "gateway/guard_registry.h"
#include "guards/access_log/access_log_guard.h"
#include "guards/cookies/cookies_guard.h"
#include "guards/csrf/csrf_guard.h"
#include "guards/headers/headers_guard.h"
#include "guards/jwt/jwt_guard.h"
#include "guards/rate_limit/rate_limit_guard.h"
#include "guards/session/session_guard.h"
#include "guards/waf/waf_guard.h"

namespace rampart::gateway {

namespace {
constexpr GuardSpec kGuards[] = {
    // jwt first: rate_limit can key on the verified token's subject, and csrf exempts requests
    // whose bearer token was verified.
    {"jwt", false, &guards::JwtGuard::build, /*built_when_off=*/true},
    {"rate_limit", false, &guards::RateLimitGuard::build},
    {"csrf", true, &guards::CsrfGuard::build},
    {"waf", true, &guards::WafGuard::build},
    {"session", true, &guards::SessionGuard::build},
    {"headers", true, &guards::HeadersGuard::build},
    {"cookies", true, &guards::CookiesGuard::build},
    {"access_log", true, &guards::AccessLogGuard::build},
};
}  // namespace

std::span<const GuardSpec> guard_specs() { return kGuards; }

}  // namespace rampart::gateway
