// RA072 unsafe-deserialization: pickle, marshal, yaml.load and friends.
#include "audit/python/rules/common.h"
#include "audit/python/rules/rules.h"

namespace rampart::audit::python::rules {

namespace {

constexpr const char* kDoc =
    R"(Finds deserializers that can run code: `pickle`/`cPickle`/`dill` `load(s)` and `Unpickler`,
`marshal.load(s)`, `shelve.open`, `jsonpickle.decode`, `pandas.read_pickle`, `yaml.load` without
a safe loader, `yaml.unsafe_load`, `numpy.load(allow_pickle=True)`. Request data reaching them is
reported with high confidence, other uses with medium.

Why: a pickle is a program; loading one from an attacker runs their code (CWE-502).

Example:
    prefs = pickle.loads(base64.b64decode(request.cookies["prefs"]))

Instead: JSON (`json.loads`), `yaml.safe_load`, or a signed payload verified before loading.

References: https://docs.python.org/3/library/pickle.html (the red box),
https://cwe.mitre.org/data/definitions/502.html)";

bool safe_loader(RuleContext& ctx, TSNode loader) {
  std::string d = ctx.qualified(loader);
  return ends_with(d, "SafeLoader") || ends_with(d, "CSafeLoader") || ends_with(d, "BaseLoader");
}

void check(RuleContext& ctx) {
  TSNode call = ctx.node;
  const std::string& q = callee(ctx, call);
  std::string_view src = ctx.src();
  const CallArgs& args = ctx.args_of(call);
  bool unsafe = false;
  for (std::string_view mod : {"pickle.", "cPickle.", "_pickle.", "dill.", "cloudpickle."}) {
    if (starts_with(q, mod) &&
        (ends_with(q, ".loads") || ends_with(q, ".load") || ends_with(q, ".Unpickler"))) {
      unsafe = true;
    }
  }
  if (name_is(q, "marshal.loads") || name_is(q, "marshal.load") || name_is(q, "shelve.open") ||
      name_is(q, "jsonpickle.decode") || name_is(q, "pandas.read_pickle") ||
      name_is(q, "yaml.unsafe_load") || name_is(q, "yaml.full_load")) {
    unsafe = true;
  }
  if (name_is(q, "yaml.load") || name_is(q, "yaml.load_all")) {
    TSNode loader = args.get(1, "Loader");
    unsafe = is_null(loader) || !safe_loader(ctx, loader);
  }
  if (name_is(q, "numpy.load") && bool_value(args.keyword("allow_pickle"), src) == true) {
    unsafe = true;
  }
  if (!unsafe) return;
  TSNode data = args.get(0, "data");
  Taint t = is_null(data) ? Taint{} : ctx.taint(data);
  if (t.request) {
    ctx.report(call, "request data deserialized by " + q + "(), which can run code",
               Confidence::kHigh, {RuleContext::source_note(t)});
  } else {
    ctx.report(call, q + "() can run code hidden in the data it loads", Confidence::kMedium);
  }
}

}  // namespace

const Rule& unsafe_deserialization() {
  static const Rule r = make_rule({"RA072", "unsafe-deserialization", "Unsafe deserialization",
                                   Severity::kHigh, Confidence::kHigh, "beyond the guide", kDoc},
                                  {"call"}, check);
  return r;
}

}  // namespace rampart::audit::python::rules
