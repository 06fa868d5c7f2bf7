// tree-sitter's allocations go to a per-thread pool of size classes, and only tree-sitter's:
// the parser makes and frees a node object for every token and rule it reduces (millions per
// megabyte of Python) and releases them all when a tree is deleted, and with glibc's malloc those
// calls were a fifth of a scan's CPU time. Written by hand because the libraries made for this
// cannot be scoped: Debian's libmimalloc.so exports malloc and operator new, so linking it
// replaces the allocator of the whole process (the gateway included).
//
// Blocks up to kMaxSmall bytes come from 64 KiB chunks, one free list per 16-byte class; a
// 16-byte header before each block records its class. Larger blocks go to malloc. A block freed
// on another thread joins that thread's lists. Chunks are kept for the life of the process (the
// pool holds the parser's peak, a few megabytes per thread; tree-sitter runs only in `rampart
// audit`).
//
// ts_set_allocator must run before tree-sitter allocates anything (memory is freed by the
// allocator installed at the time of the free), so it runs during static initialisation, before
// main; analyze_python refers to this file, so every program that parses links it. Sanitizer
// builds (RAMPART_TS_SYSTEM_ALLOCATOR) leave the system allocator in place, so that
// AddressSanitizer watches the parser's memory.

#include <tree_sitter/api.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace rampart::audit::python {

namespace {

constexpr size_t kHeader = 16;
constexpr size_t kGrain = 16;
constexpr size_t kMaxSmall = 1024;
constexpr uint32_t kClasses = kMaxSmall / kGrain;  // class c holds (c + 1) * 16 bytes
constexpr uint32_t kLarge = UINT32_MAX;
constexpr size_t kChunk = 64 * 1024;

struct Header {
  uint32_t size_class;  // kLarge for a block from malloc
  uint32_t unused;
  uint64_t capacity;  // usable bytes after the header
};
static_assert(sizeof(Header) == kHeader);

struct FreeBlock {
  FreeBlock* next;
};

// Trivially destructible on purpose: a thread's lists must stay valid while tree-sitter objects
// of that thread (a thread_local parser) are freed during thread exit.
struct Pool {
  FreeBlock* free[kClasses];
  char* cursor;
  char* end;
};
thread_local Pool pool = {};

[[maybe_unused]] void* pool_malloc(size_t n) {
  if (n == 0) n = 1;
  if (n > kMaxSmall) {
    auto* h = static_cast<Header*>(std::malloc(kHeader + n));
    if (!h) return nullptr;
    h->size_class = kLarge;
    h->capacity = n;
    return reinterpret_cast<char*>(h) + kHeader;
  }
  uint32_t c = static_cast<uint32_t>((n - 1) / kGrain);
  if (FreeBlock* b = pool.free[c]) {
    pool.free[c] = b->next;
    return b;
  }
  size_t block = kHeader + (c + 1) * kGrain;
  if (static_cast<size_t>(pool.end - pool.cursor) < block) {
    // The tail of the old chunk is abandoned (under one block of the largest class).
    pool.cursor = static_cast<char*>(std::malloc(kChunk));
    if (!pool.cursor) {
      pool.end = nullptr;
      return nullptr;
    }
    pool.end = pool.cursor + kChunk;
  }
  auto* h = reinterpret_cast<Header*>(pool.cursor);
  pool.cursor += block;
  h->size_class = c;
  h->capacity = (c + 1) * kGrain;
  return reinterpret_cast<char*>(h) + kHeader;
}

Header* header_of(void* p) { return reinterpret_cast<Header*>(static_cast<char*>(p) - kHeader); }

[[maybe_unused]] void pool_free(void* p) {
  if (!p) return;
  Header* h = header_of(p);
  if (h->size_class == kLarge) {
    std::free(h);
    return;
  }
  auto* b = static_cast<FreeBlock*>(p);
  b->next = pool.free[h->size_class];
  pool.free[h->size_class] = b;
}

[[maybe_unused]] void* pool_calloc(size_t count, size_t size) {
  if (size != 0 && count > SIZE_MAX / size) return nullptr;
  void* p = pool_malloc(count * size);
  if (p) std::memset(p, 0, count * size);
  return p;
}

[[maybe_unused]] void* pool_realloc(void* p, size_t n) {
  if (!p) return pool_malloc(n);
  Header* h = header_of(p);
  if (n <= h->capacity) return p;
  if (h->size_class == kLarge && n > kMaxSmall) {
    auto* g = static_cast<Header*>(std::realloc(h, kHeader + n));
    if (!g) return nullptr;
    g->capacity = n;
    return reinterpret_cast<char*>(g) + kHeader;
  }
  void* q = pool_malloc(n);
  if (!q) return nullptr;
  std::memcpy(q, p, h->capacity);
  pool_free(p);
  return q;
}

const bool kInstalled = [] {
#ifdef RAMPART_TS_SYSTEM_ALLOCATOR
  return false;
#else
  ts_set_allocator(pool_malloc, pool_calloc, pool_realloc, pool_free);
  return true;
#endif
}();

}  // namespace

bool tree_sitter_allocator_installed() { return kInstalled; }

}  // namespace rampart::audit::python
