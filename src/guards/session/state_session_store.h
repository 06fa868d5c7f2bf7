#pragma once
// Session records in the gateway's state store (src/state/): one record per session, under
// "sess:" + its keyed hash, as a small JSON object, living `keep` after its last write. A store
// that does not answer (Redis unreachable with fail-closed) reads as "no record": the session is
// then tracked afresh (adopt_unknown) or refused, never an error for the request.

#include <optional>
#include <string>

#include "guards/session/session_store.h"
#include "state/store.h"

namespace rampart::guards {

// The record as stored, written for every request that carries a session cookie, so kept cheap:
// "s1" and the fields, each ended by a unit separator (0x1F): first and last seen (microseconds
// since the Unix epoch), address, network, user agent family, path, domain, "1" when ended, and
// what ended it. Path and domain, which come from the application, are cut to 512 bytes each,
// and control bytes in any field become '?', so no field holds the separator.
std::string encode_session_record(const SessionRecord& r);
// nullopt when the text is not such a record (another writer, a corrupted value). Records that
// earlier versions wrote as JSON objects are still read (a shared Redis during an upgrade).
std::optional<SessionRecord> decode_session_record(std::string_view text);

class StateSessionStore : public SessionStore {
 public:
  explicit StateSessionStore(state::Store* store) : store_(store) {}
  std::optional<SessionRecord> get(const std::string& key) override;
  void put(const std::string& key, const SessionRecord& r, SessionTime now,
           std::chrono::milliseconds keep) override;
  void erase(const std::string& key) override;
  bool immediate() const override { return store_->immediate(); }
  boost::asio::awaitable<std::optional<SessionRecord>> get_async(std::string key) override;
  boost::asio::awaitable<void> put_async(std::string key, SessionRecord r, SessionTime now,
                                         std::chrono::milliseconds keep) override;

 private:
  state::Store* store_;
};

}  // namespace rampart::guards
