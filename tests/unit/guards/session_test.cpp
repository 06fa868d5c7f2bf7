#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "guards/session/client_binding.h"
#include "guards/session/session_cookie.h"
#include "guards/session/session_guard.h"
#include "guards/session/session_key.h"
#include "guards/session/session_policy.h"
#include "guards/session/state_session_store.h"
#include "state/memory_store.h"

namespace rampart::guards {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

const SessionTime kT0 = SessionTime(std::chrono::seconds(1'800'000'000));

SessionSighting at(SessionTime t, std::string network = "203.0.113.0/24",
                   std::string agent = "Chrome/Windows") {
  return {t, "203.0.113.9", std::move(network), std::move(agent)};
}

TEST(SessionPolicy, IdleAndAbsoluteExpiryWithAnInjectedClock) {
  SessionPolicy p;
  p.idle_timeout = minutes(30);
  p.absolute_lifetime = hours(12);
  auto r = record_sighting(std::nullopt, at(kT0));
  struct Case {
    SessionTime last_seen;
    SessionTime now;
    SessionState state;
  } cases[] = {
      {kT0, kT0, SessionState::kValid},
      {kT0, kT0 + minutes(30) - milliseconds(1), SessionState::kValid},
      {kT0, kT0 + minutes(30), SessionState::kIdleExpired},
      {kT0 + hours(11), kT0 + hours(11) + minutes(29), SessionState::kValid},
      {kT0 + hours(11) + minutes(59), kT0 + hours(12), SessionState::kLifetimeExpired},
      {kT0 + hours(11), kT0 + hours(13), SessionState::kLifetimeExpired},
  };
  for (const auto& c : cases) {
    r.last_seen = c.last_seen;
    EXPECT_EQ(int(judge_session(r, at(c.now), p)), int(c.state))
        << std::chrono::duration_cast<seconds>(c.now - kT0).count();
  }
  EXPECT_EQ(judge_session(std::nullopt, at(kT0), p), SessionState::kNew);
  p.adopt_unknown = false;
  EXPECT_EQ(judge_session(std::nullopt, at(kT0), p), SessionState::kUnknown);
}

TEST(SessionPolicy, ZeroTurnsALimitOff) {
  SessionPolicy p;
  p.idle_timeout = milliseconds(0);
  p.absolute_lifetime = milliseconds(0);
  auto r = record_sighting(std::nullopt, at(kT0));
  EXPECT_EQ(judge_session(r, at(kT0 + hours(24 * 365)), p), SessionState::kValid);
}

// Another instance sharing the store has a clock two minutes ahead of ours.
TEST(SessionPolicy, ClockSkewNeverMakesASessionYoungerOrImmortal) {
  SessionPolicy p;
  p.idle_timeout = minutes(30);
  p.absolute_lifetime = hours(1);
  auto r = record_sighting(std::nullopt, at(kT0 + minutes(2)));  // written by the fast instance
  // Seen by us "before" it was first seen: valid, not a negative age.
  EXPECT_EQ(judge_session(r, at(kT0), p), SessionState::kValid);
  auto after = record_sighting(r, at(kT0));
  EXPECT_EQ(after.last_seen, kT0 + minutes(2));  // last seen never moves backwards
  EXPECT_EQ(after.first_seen, kT0 + minutes(2));
  // Idle time counts from the later of the two clocks' last sighting.
  EXPECT_EQ(judge_session(after, at(kT0 + minutes(31)), p), SessionState::kValid);
  EXPECT_EQ(judge_session(after, at(kT0 + minutes(32)), p), SessionState::kIdleExpired);
  // The lifetime still ends, measured from the skewed first sighting.
  after.last_seen = kT0 + minutes(61);
  EXPECT_EQ(judge_session(after, at(kT0 + minutes(62)), p), SessionState::kLifetimeExpired);
}

TEST(SessionPolicy, BindingToNetworkAndAgentFamily) {
  SessionPolicy p;
  p.bind_network = true;
  auto r = record_sighting(std::nullopt, at(kT0));
  EXPECT_EQ(judge_session(r, at(kT0, "198.51.100.0/24"), p), SessionState::kNetworkChanged);
  EXPECT_EQ(judge_session(r, at(kT0, "203.0.113.0/24", "Firefox/Linux"), p),
            SessionState::kAgentChanged);
  p.bind_network = false;
  p.bind_user_agent = false;
  EXPECT_EQ(judge_session(r, at(kT0, "198.51.100.0/24", "Firefox/Linux"), p), SessionState::kValid);
  r.ended = true;
  EXPECT_EQ(judge_session(r, at(kT0), p), SessionState::kEnded);
}

TEST(ClientBinding, Networks) {
  EXPECT_EQ(client_network(*http::IpAddress::parse("203.0.113.77")), "203.0.113.0/24");
  EXPECT_EQ(client_network(*http::IpAddress::parse("2001:db8:1:2:3:4:5:6")), "2001:db8:1:2::/64");
  EXPECT_EQ(client_network(*http::IpAddress::parse("::1")), "0:0:0:0::/64");
}

TEST(ClientBinding, UserAgentFamilies) {
  struct Case {
    const char* ua;
    const char* family;
  } cases[] = {
      {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
       "Chrome/126.0.0.0 Safari/537.36",
       "Chrome/Windows"},
      {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
       "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.87",
       "Edge/Windows"},
      {"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "Firefox/Linux"},
      {"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) "
       "Version/17.5 Safari/605.1.15",
       "Safari/macOS"},
      {"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
       "Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1",
       "Chrome/iOS"},
      {"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
       "Chrome/126.0.0.0 Mobile Safari/537.36",
       "Chrome/Android"},
      {"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
       "HeadlessChrome/126.0.0.0 Safari/537.36",
       "Chrome/Linux"},
      {"curl/7.88.1", "curl/other"},
      {"python-requests/2.28.1", "python-requests/other"},
      {"", "other/other"},
  };
  for (const auto& c : cases) EXPECT_EQ(user_agent_family(c.ua), c.family) << c.ua;
  // A browser update changes the version, not the family.
  EXPECT_EQ(user_agent_family("Mozilla/5.0 (X11; Linux x86_64; rv:129.0) Gecko/20100101 "
                              "Firefox/129.0"),
            "Firefox/Linux");
}

TEST(SessionKey, KeyedAndNeverTheValue) {
  SessionHasher a(std::string(32, 'k'));
  SessionHasher b(std::string(32, 'j'));
  std::string h = a("session", "eyJ1c2VyIjoxfQ");
  EXPECT_EQ(h.size(), 32u);
  EXPECT_EQ(h, a("session", "eyJ1c2VyIjoxfQ"));
  EXPECT_NE(h, b("session", "eyJ1c2VyIjoxfQ"));
  EXPECT_NE(h, a("sessionid", "eyJ1c2VyIjoxfQ"));
  EXPECT_NE(a("ab", "c"), a("a", "bc"));
  EXPECT_EQ(h.find("eyJ"), std::string::npos);
}

// The record keys are standard HMAC-SHA256 (instances of any version sharing a Redis agree):
// Python's hmac.new(b"k" * 32, b"session\0v1", hashlib.sha256).hexdigest()[:32].
TEST(SessionKey, IsHmacSha256OfNameNulValue) {
  EXPECT_EQ(SessionHasher(std::string(32, 'k'))("session", "v1"),
            "48c1b485f07158c36f2f791e27d28b38");
  // A key longer than SHA-256's block is hashed first, as RFC 2104 says.
  EXPECT_EQ(SessionHasher(std::string(100, 'k'))("session", "v1"),
            "fb713af764f632e93d42d98e8f2cd2d4");
}

TEST(SessionCookie, ReadsTheApplicationsSetCookie) {
  int64_t now = 1'800'000'000;
  auto c = read_app_set_cookie("session=abc.def; HttpOnly; Path=/app; Domain=example.com", now);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->value, "abc.def");
  EXPECT_EQ(c->path, "/app");
  EXPECT_EQ(c->domain, "example.com");
  EXPECT_FALSE(c->deletes);
  // Flask's and Django's deletions.
  EXPECT_TRUE(read_app_set_cookie("session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; "
                                  "HttpOnly; Path=/",
                                  now)
                  ->deletes);
  EXPECT_TRUE(read_app_set_cookie("sessionid=\"\"; expires=Thu, 01 Jan 1970 00:00:00 GMT; "
                                  "Max-Age=0; Path=/; SameSite=Lax",
                                  now)
                  ->deletes);
  EXPECT_TRUE(read_app_set_cookie("s=x; Expires=Thu, 01-Jan-1970 00:00:00 GMT", now)->deletes);
  // Max-Age wins over Expires.
  EXPECT_FALSE(
      read_app_set_cookie("s=x; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=60", now)->deletes);
  EXPECT_TRUE(read_app_set_cookie("s=x; Max-Age=-1", now)->deletes);
  EXPECT_FALSE(read_app_set_cookie("s=x; Expires=garbage", now)->deletes);
  EXPECT_FALSE(read_app_set_cookie("no-equals-sign", now));
  EXPECT_EQ(clearing_set_cookie("session", "/app", "example.com", true),
            "session=; Path=/app; Domain=example.com; Max-Age=0; Expires=Thu, 01 Jan 1970 "
            "00:00:00 GMT; Secure");
}

TEST(StateSessionStore, RecordsRoundTripThroughTheStateStore) {
  state::MemoryStore backend;
  StateSessionStore store(&backend);
  SessionRecord r = record_sighting(std::nullopt, at(kT0 + milliseconds(1)));
  r.path = "/app";
  r.domain = "example.com";
  store.put("abc", r, kT0, hours(1));
  auto back = store.get("abc");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->first_seen, r.first_seen);
  EXPECT_EQ(back->last_seen, r.last_seen);
  EXPECT_EQ(back->network, "203.0.113.0/24");
  EXPECT_EQ(back->user_agent, "Chrome/Windows");
  EXPECT_EQ(back->path, "/app");
  EXPECT_EQ(back->domain, "example.com");
  EXPECT_FALSE(back->ended);
  EXPECT_TRUE(backend.get_now("sess:abc").value);  // under its own prefix
  r.ended = true;
  r.ended_by = "logout";
  store.put("abc", r, kT0, hours(1));
  EXPECT_EQ(store.get("abc")->ended_by, "logout");
  store.erase("abc");
  EXPECT_FALSE(store.get("abc"));
  // What is not a record reads as none.
  backend.put_now("sess:bad", "{not json", state::Micros(std::chrono::hours(1)));
  EXPECT_FALSE(store.get("bad"));
  backend.put_now("sess:bad", "[1,2]", state::Micros(std::chrono::hours(1)));
  EXPECT_FALSE(store.get("bad"));
  EXPECT_FALSE(decode_session_record("{\"f\": \"x\", \"l\": 1}"));
  // A Path with bytes that are not UTF-8 is stored, not thrown on.
  r.path = "/\xff\xfe";
  EXPECT_FALSE(encode_session_record(r).empty());
}

TEST(SessionRecordFormat, RoundTripsAndRefusesWhatIsNotARecord) {
  SessionRecord r;
  r.first_seen = kT0;
  r.last_seen = kT0 + std::chrono::seconds(5);
  r.address = "2001:db8::1";
  r.network = "2001:db8::/64";
  r.user_agent = "Firefox/Linux";
  r.path = "/a\x1f\nb\xff";  // the separator and a control byte, from the application
  r.domain = "example.com";
  r.ended = true;
  r.ended_by = "idle_timeout";
  std::string text = encode_session_record(r);
  auto back = decode_session_record(text);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->first_seen, r.first_seen);
  EXPECT_EQ(back->last_seen, r.last_seen);
  EXPECT_EQ(back->address, "2001:db8::1");
  EXPECT_EQ(back->network, "2001:db8::/64");
  EXPECT_EQ(back->user_agent, "Firefox/Linux");
  EXPECT_EQ(back->path, "/a??b\xff");
  EXPECT_EQ(back->domain, "example.com");
  EXPECT_TRUE(back->ended);
  EXPECT_EQ(back->ended_by, "idle_timeout");
  // Cut anywhere, or with a field too many, it is not a record.
  for (size_t cut = 0; cut < text.size(); ++cut) {
    EXPECT_FALSE(decode_session_record(text.substr(0, cut))) << cut;
  }
  EXPECT_FALSE(decode_session_record(text + "x\x1f"));
  std::string bad_time = text;
  bad_time[3] = 'x';
  EXPECT_FALSE(decode_session_record(bad_time));
  EXPECT_FALSE(decode_session_record(""));
  // Records that earlier versions wrote as JSON are still read.
  auto old = decode_session_record(
      R"({"f":1000000,"l":2000000,"a":"203.0.113.9","n":"203.0.113.0/24","u":"Chrome/Windows",)"
      R"("p":"/","d":"","e":"logout"})");
  ASSERT_TRUE(old);
  EXPECT_EQ(old->address, "203.0.113.9");
  EXPECT_TRUE(old->ended);
  EXPECT_EQ(old->ended_by, "logout");
}

TEST(SessionPolicy, AValidSightingIsWrittenAtMostOncePerTouchInterval) {
  SessionPolicy p;
  p.idle_timeout = std::chrono::minutes(30);
  SessionSighting seen;
  seen.now = kT0;
  seen.address = "203.0.113.9";
  EXPECT_TRUE(sighting_needs_write(std::nullopt, seen, p));  // a new session
  SessionRecord r = record_sighting(std::nullopt, seen);
  seen.now = kT0 + std::chrono::milliseconds(999);
  EXPECT_FALSE(sighting_needs_write(r, seen, p));
  seen.now = kT0 + std::chrono::seconds(1);
  EXPECT_TRUE(sighting_needs_write(r, seen, p));
  seen.now = kT0;
  seen.address = "203.0.113.10";  // a new address is recorded at once
  EXPECT_TRUE(sighting_needs_write(r, seen, p));
  // A short idle timeout is measured to within 1%.
  p.idle_timeout = std::chrono::seconds(2);
  seen.address = "203.0.113.9";
  seen.now = kT0 + std::chrono::milliseconds(20);
  EXPECT_TRUE(sighting_needs_write(r, seen, p));
  seen.now = kT0 + std::chrono::milliseconds(19);
  EXPECT_FALSE(sighting_needs_write(r, seen, p));
}

// The guard, with its own store and a clock the test moves.
struct SessionFixture {
  http::RequestHead request;
  http::ClientView client;
  gateway::ConnectionInfo conn;
  std::unique_ptr<gateway::Exchange> ex;
  SessionTime now = kT0;
  state::MemoryStore backend;
  std::shared_ptr<StateSessionStore> store = std::make_shared<StateSessionStore>(&backend);
  SessionSettings s;

  SessionFixture() {
    s.policy.idle_timeout = minutes(30);
    s.policy.absolute_lifetime = hours(12);
    s.key = std::string(32, 'k');
    s.login_paths = {"/login"};
    s.logout_paths = {"/logout"};
  }
  std::unique_ptr<SessionGuard> guard() {
    return std::make_unique<SessionGuard>(s, store, [this] { return now; });
  }
  // A fresh exchange for a request to `target` with this Cookie header.
  gateway::Exchange& request_to(std::string target, std::string cookie = "",
                                std::string ip = "203.0.113.9",
                                std::string ua =
                                    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) "
                                    "Gecko/20100101 Firefox/128.0") {
    request = {};
    request.method = "GET";
    request.target = std::move(target);
    if (!cookie.empty()) request.headers.add("Cookie", cookie);
    request.headers.add("User-Agent", ua);
    client.scheme = "https";
    client.address = *http::IpAddress::parse(ip);
    client.address_text = ip;
    ex = std::make_unique<gateway::Exchange>(
        gateway::Exchange{request, client, conn, "/", {}, {}, {}});
    return *ex;
  }
};

TEST(SessionGuard, IdleSessionLosesItsCookieAndTheResponseClearsIt) {
  SessionFixture f;
  auto g = f.guard();
  auto& ex1 = f.request_to("/account", "theme=dark; session=v1");
  EXPECT_FALSE(g->on_request(ex1));
  EXPECT_EQ(*f.request.headers.get("Cookie"), "theme=dark; session=v1");

  f.now += minutes(29);
  auto& ex2 = f.request_to("/account", "theme=dark; session=v1");
  EXPECT_FALSE(g->on_request(ex2));
  EXPECT_TRUE(ex2.events.empty());

  f.now += minutes(31);
  auto& ex3 = f.request_to("/account", "theme=dark; session=v1");
  EXPECT_FALSE(g->on_request(ex3));
  EXPECT_EQ(*f.request.headers.get("Cookie"), "theme=dark");  // the app sees no session
  ASSERT_EQ(ex3.events.size(), 1u);
  EXPECT_EQ(ex3.events[0].rule, "session_idle_timeout");
  EXPECT_EQ(ex3.events[0].part, "request.cookie.session");
  EXPECT_EQ(ex3.events[0].reason,
            "session idle for 31m (idle_timeout 30m): cookie 'session' removed");
  http::ResponseHead resp;
  g->on_response(ex3, resp);
  EXPECT_EQ(*resp.headers.get("Set-Cookie"),
            "session=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure");

  // The same value comes back later: still refused (it is remembered as ended).
  f.now += minutes(1);
  auto& ex4 = f.request_to("/", "session=v1");
  EXPECT_FALSE(g->on_request(ex4));
  EXPECT_FALSE(f.request.headers.has("Cookie"));
  EXPECT_EQ(ex4.events[0].reason,
            "a session ended by idle_timeout was used again: cookie 'session' removed");
}

TEST(SessionGuard, AbsoluteLifetimeAndRotationKeepingTheFirstSeenTime) {
  SessionFixture f;
  f.s.policy.idle_timeout = hours(7);
  auto g = f.guard();
  g->on_request(f.request_to("/", "session=v1"));
  // The application rotates the value (Flask re-signs on every change): same session.
  f.now += hours(6);
  auto& ex = f.request_to("/cart", "session=v1");
  g->on_request(ex);
  http::ResponseHead resp;
  resp.headers.add("Set-Cookie", "session=v2; HttpOnly; Path=/");
  g->on_response(ex, resp);
  for (int i = 0; i < 23; ++i) {
    f.now += minutes(15);
    EXPECT_FALSE(g->on_request(f.request_to("/", "session=v2")));
    EXPECT_TRUE(f.ex->events.empty()) << i;
  }
  f.now += minutes(15);  // 12 hours since v1 was first seen
  auto& late = f.request_to("/", "session=v2");
  g->on_request(late);
  ASSERT_EQ(late.events.size(), 1u);
  EXPECT_EQ(late.events[0].reason,
            "session older than its absolute_lifetime of 12h: cookie 'session' removed");
}

TEST(SessionGuard, LogoutEndsTheSessionAtOnce) {
  SessionFixture f;
  auto g = f.guard();
  g->on_request(f.request_to("/", "session=v1"));
  auto& out = f.request_to("/logout", "session=v1");
  EXPECT_FALSE(g->on_request(out));
  EXPECT_EQ(*f.request.headers.get("Cookie"), "session=v1");  // the app logs out too
  ASSERT_EQ(out.events.size(), 1u);
  EXPECT_EQ(out.events[0].reason, "session ended by the logout route '/logout'");
  auto& replay = f.request_to("/account", "session=v1");
  g->on_request(replay);
  EXPECT_FALSE(f.request.headers.has("Cookie"));
  EXPECT_EQ(replay.events[0].rule, "session_ended");
}

TEST(SessionGuard, ApplicationDeletionEndsTheSession) {
  SessionFixture f;
  auto g = f.guard();
  auto& ex = f.request_to("/signout-elsewhere", "session=v1");
  g->on_request(ex);
  http::ResponseHead resp;
  resp.headers.add("Set-Cookie",
                   "session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/");
  g->on_response(ex, resp);
  auto& replay = f.request_to("/", "session=v1");
  g->on_request(replay);
  EXPECT_EQ(replay.events[0].reason,
            "a session ended by the application was used again: cookie 'session' removed");
}

TEST(SessionGuard, LoginForgetsThePreviousSession) {
  SessionFixture f;
  auto g = f.guard();
  g->on_request(f.request_to("/", "session=planted"));
  auto& login = f.request_to("/login", "session=planted");
  login.request.method = "POST";
  g->on_request(login);
  http::ResponseHead resp;
  resp.headers.add("Set-Cookie", "session=fresh; HttpOnly; Path=/");
  g->on_response(login, resp);
  ASSERT_EQ(login.events.size(), 1u);
  EXPECT_EQ(login.events[0].rule, "session_login");
  EXPECT_EQ(login.events[0].reason,
            "new session at login: the previous session 'session' is forgotten");
  auto& old = f.request_to("/", "session=planted");
  g->on_request(old);
  EXPECT_EQ(old.events[0].rule, "session_ended");
  EXPECT_FALSE(f.request.headers.has("Cookie"));
  auto& fresh = f.request_to("/", "session=fresh");
  EXPECT_FALSE(g->on_request(fresh));
  EXPECT_TRUE(fresh.events.empty());
}

TEST(SessionGuard, HijackBindingTreatedAsExpiredAndLogged) {
  SessionFixture f;
  f.s.policy.bind_network = true;
  auto g = f.guard();
  g->on_request(f.request_to("/", "sessionid=abc", "203.0.113.9"));
  EXPECT_FALSE(g->on_request(f.request_to("/", "sessionid=abc", "203.0.113.200")));
  EXPECT_TRUE(f.ex->events.empty());  // same /24
  auto& stolen = f.request_to("/", "sessionid=abc", "198.51.100.7");
  g->on_request(stolen);
  ASSERT_EQ(stolen.events.size(), 1u);
  EXPECT_EQ(stolen.events[0].rule, "session_network_changed");
  EXPECT_EQ(stolen.events[0].reason,
            "possible session hijack: used from network 198.51.100.0/24, the session began on "
            "203.0.113.0/24: cookie 'sessionid' removed");
  // The session is over for its owner too: the cookie is known to be out.
  auto& owner = f.request_to("/", "sessionid=abc", "203.0.113.9");
  g->on_request(owner);
  EXPECT_EQ(owner.events[0].rule, "session_ended");

  SessionFixture f2;
  auto g2 = f2.guard();
  g2->on_request(f2.request_to("/", "session=x"));
  auto& other_browser = f2.request_to("/", "session=x", "203.0.113.9", "curl/8.0");
  g2->on_request(other_browser);
  EXPECT_EQ(other_browser.events[0].reason,
            "possible session hijack: used from a curl/other browser, the session began on "
            "Firefox/Linux: cookie 'session' removed");
}

TEST(SessionGuard, RedirectAndDenyActions) {
  SessionFixture f;
  f.s.action = SessionAction::kRedirect;
  f.s.login_url = "/login";
  auto g = f.guard();
  g->on_request(f.request_to("/", "session=v1"));
  f.now += hours(1);
  auto& ex = f.request_to("/orders?page=2", "session=v1");
  auto reply = g->on_request(ex);
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 303);
  EXPECT_EQ(*reply->headers.get("Location"), "/login?next=/orders%3Fpage%3D2");
  http::ResponseHead resp;
  g->on_response(ex, resp);
  EXPECT_TRUE(resp.headers.get("Set-Cookie")->starts_with("session=; Path=/; Max-Age=0"));

  SessionFixture d;
  d.s.action = SessionAction::kDeny;
  auto gd = d.guard();
  gd->on_request(d.request_to("/api/x", "session=v1"));
  d.now += hours(1);
  reply = gd->on_request(d.request_to("/api/x", "session=v1"));
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 401);
  EXPECT_EQ(reply->body,
            "{\"error\": \"session_expired\", \"message\": \"The session has expired; sign in "
            "again.\"}\n");
}

TEST(SessionGuard, MonitorModeOnlyLogs) {
  SessionFixture f;
  f.s.monitor = true;
  auto g = f.guard();
  g->on_request(f.request_to("/", "session=v1"));
  f.now += hours(1);
  auto& ex = f.request_to("/", "session=v1");
  EXPECT_FALSE(g->on_request(ex));
  EXPECT_EQ(*f.request.headers.get("Cookie"), "session=v1");
  ASSERT_EQ(ex.events.size(), 1u);
  EXPECT_EQ(ex.events[0].action, gateway::Action::kLogged);
  EXPECT_EQ(ex.events[0].reason, "session idle for 60m (idle_timeout 30m) (monitor mode: passed)");
  http::ResponseHead resp;
  g->on_response(ex, resp);
  EXPECT_FALSE(resp.headers.has("Set-Cookie"));
}

TEST(SessionGuard, DuplicateCookiesAreEachJudged) {
  SessionFixture f;
  auto g = f.guard();
  g->on_request(f.request_to("/", "session=old"));
  f.now += hours(1);
  g->on_request(f.request_to("/", "session=new"));
  auto& ex = f.request_to("/", "session=old; session=new");
  g->on_request(ex);
  EXPECT_EQ(*f.request.headers.get("Cookie"), "session=new");
  ASSERT_EQ(ex.events.size(), 1u);
  EXPECT_EQ(ex.events[0].rule, "session_idle_timeout");
}

TEST(SessionGuard, UnknownSessionsRefusedWhenAdoptionIsOff) {
  SessionFixture f;
  f.s.policy.adopt_unknown = false;
  auto g = f.guard();
  auto& ex = f.request_to("/", "session=forged");
  g->on_request(ex);
  EXPECT_EQ(ex.events[0].rule, "session_unknown");
  // A session the application issued through the gateway is known.
  auto& login = f.request_to("/login");
  http::ResponseHead resp;
  resp.headers.add("Set-Cookie", "session=issued; Path=/");
  g->on_response(login, resp);
  auto& ok = f.request_to("/", "session=issued");
  EXPECT_FALSE(g->on_request(ok));
  EXPECT_TRUE(ok.events.empty());
}

// A store that needs a round trip (as Redis does): the guard reads the records first, decides,
// then writes, all through the awaitable forms.
class RoundTripStore : public StateSessionStore {
 public:
  explicit RoundTripStore(state::Store* s) : StateSessionStore(s) {}
  bool immediate() const override { return false; }
  boost::asio::awaitable<std::optional<SessionRecord>> get_async(std::string key) override {
    ++round_trips;
    co_return get(key);
  }
  boost::asio::awaitable<void> put_async(std::string key, SessionRecord r, SessionTime now,
                                         std::chrono::milliseconds keep) override {
    ++round_trips;
    put(key, r, now, keep);
    co_return;
  }
  int round_trips = 0;
};

TEST(SessionGuard, StoresThatNeedARoundTripAreAwaited) {
  SessionFixture f;
  auto store = std::make_shared<RoundTripStore>(&f.backend);
  SessionGuard g(f.s, store, [&] { return f.now; });
  ASSERT_TRUE(g.request_is_async());
  // Only a request with a session cookie needs the round trip.
  EXPECT_FALSE(g.request_is_async_for(f.request_to("/", "other=1")));
  EXPECT_TRUE(g.request_is_async_for(f.request_to("/", "other=1; session=v1")));
  boost::asio::io_context io;
  auto run = [&](gateway::Exchange& ex) {
    auto fut = boost::asio::co_spawn(io, g.on_request_async(ex), boost::asio::use_future);
    io.restart();
    io.run();
    return fut.get();
  };
  EXPECT_FALSE(run(f.request_to("/", "session=v1")));
  EXPECT_EQ(store->round_trips, 2);  // one read, one write
  f.now += minutes(31);
  auto& late = f.request_to("/", "session=v1");
  EXPECT_FALSE(run(late));
  EXPECT_FALSE(f.request.headers.has("Cookie"));
  ASSERT_EQ(late.events.size(), 1u);
  EXPECT_EQ(late.events[0].rule, "session_idle_timeout");
  EXPECT_TRUE(store->get(SessionHasher(f.s.key)("session", "v1"))->ended);
}

}  // namespace
}  // namespace rampart::guards
