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

// The record as stored: JSON of its fields (times in microseconds since the Unix epoch). Path
// and domain, which come from the application, are cut to 512 bytes each.
std::string encode_session_record(const SessionRecord& r);
// nullopt when the text is not such a record (another writer, a corrupted value).
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
