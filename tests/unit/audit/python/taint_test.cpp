// The taint walk: which expressions carry request data, through which constructs.
#include "audit/python/taint.h"

#include <gtest/gtest.h>

#include <memory>

#include "audit/python/syntax.h"

namespace rampart::audit::python {
namespace {

// Parses `src` and answers for the argument of the last call to `sink(...)`.
class TaintProbe {
 public:
  explicit TaintProbe(std::string src) : src_(std::move(src)) {
    parser_ = ts_parser_new();
    ts_parser_set_language(parser_, tree_sitter_python());
    tree_ =
        ts_parser_parse_string(parser_, nullptr, src_.data(), static_cast<uint32_t>(src_.size()));
    imports_.collect(ts_tree_root_node(tree_), src_);
    analysis_ = std::make_unique<TaintAnalysis>(src_, imports_);
    analysis_->run(ts_tree_root_node(tree_));
  }
  ~TaintProbe() {
    analysis_.reset();
    ts_tree_delete(tree_);
    ts_parser_delete(parser_);
  }
  Taint sink() {
    TSNode found{};
    find(ts_tree_root_node(tree_), found);
    EXPECT_FALSE(is_null(found));
    return analysis_->taint_of(ts_node_named_child(field(found, "arguments"), 0));
  }

 private:
  void find(TSNode n, TSNode& found) {
    if (is(n, "call") && text(field(n, "function"), src_) == "sink") found = n;
    for (TSNode c : named_children(n)) find(c, found);
  }
  std::string src_;
  TSParser* parser_;
  TSTree* tree_;
  Imports imports_;
  std::unique_ptr<TaintAnalysis> analysis_;
};

struct Case {
  const char* name;
  const char* code;
  bool request;
  bool built;
};

class TaintCases : public ::testing::TestWithParam<Case> {};

TEST_P(TaintCases, Flow) {
  TaintProbe p(GetParam().code);
  Taint t = p.sink();
  EXPECT_EQ(t.request, GetParam().request) << GetParam().code;
  EXPECT_EQ(t.built, GetParam().built) << GetParam().code;
}

const Case kCases[] = {
    {"flask_attribute", "from flask import request\ndef v():\n  sink(request.args['a'])\n", true,
     false},
    {"assignment",
     "from flask import request\ndef v():\n  a = request.form.get('a')\n  b = a\n  sink(b)\n", true,
     false},
    {"reassigned_clean",
     "from flask import request\ndef v():\n  a = request.form['a']\n  a = 'x'\n  sink(a)\n", false,
     false},
    {"branch_merge",
     "from flask import request\ndef v(c):\n  a = 'x'\n  if c:\n    a = request.args['q']\n  "
     "sink(a)\n",
     true, false},
    {"concat", "def v(request):\n  sink('a' + request.GET['q'])\n", true, true},
    {"percent", "def v(request):\n  sink('a %s' % request.GET['q'])\n", true, true},
    {"format", "def v(request):\n  sink('a {}'.format(request.POST['q']))\n", true, true},
    {"fstring", "def v(request):\n  q = request.COOKIES['q']\n  sink(f'a {q}')\n", true, true},
    {"join", "def v(request):\n  sink(','.join(request.GET.getlist('q')))\n", true, true},
    {"list_append", "def v(request):\n  xs = []\n  xs.append(request.body)\n  sink(xs)\n", true,
     false},
    {"dict_value", "def v(request):\n  d = {'k': request.META['HTTP_X']}\n  sink(d['k'])\n", true,
     false},
    {"for_loop", "def v(request):\n  for x in request.GET.getlist('a'):\n    sink(x)\n", true,
     false},
    {"int_sanitizes", "def v(request):\n  sink(int(request.GET['n']))\n", false, false},
    {"literal_concat", "T = 'users'\ndef v():\n  sink('SELECT * FROM ' + T)\n", false, false},
    {"variable_concat", "def v(t):\n  sink('SELECT * FROM ' + t)\n", false, true},
    {"across_functions",
     "from flask import request\ndef q(x):\n  return 'SELECT ' + x\ndef v():\n  "
     "sink(q(request.args['a']))\n",
     true, true},
    {"into_callee",
     "from flask import request\ndef helper(x):\n  sink(x)\ndef v():\n  "
     "helper(request.args['a'])\n",
     true, false},
    {"flask_route_param", "@app.route('/u/<name>')\ndef v(name):\n  sink(name)\n", true, false},
    {"flask_int_param", "@app.route('/u/<int:uid>')\ndef v(uid):\n  sink(uid)\n", false, false},
    {"fastapi_query", "from fastapi import FastAPI\n@app.get('/x')\ndef v(q: str):\n  sink(q)\n",
     true, false},
    {"fastapi_int", "from fastapi import FastAPI\n@app.get('/x')\ndef v(q: int):\n  sink(q)\n",
     false, false},
    {"fastapi_request",
     "from fastapi import Request\n@app.post('/x')\nasync def v(request: Request):\n  body = await "
     "request.json()\n  sink(body)\n",
     true, false},
    {"django_url_kwarg", "def detail(request, slug):\n  sink(slug)\n", true, false},
    {"aiohttp", "async def h(request):\n  sink(request.match_info['name'])\n", true, false},
    {"walrus", "def v(request):\n  if (x := request.GET.get('a')):\n    sink(x)\n", true, false},
    {"comprehension", "def v(request):\n  sink([a for a in request.GET.getlist('a')])\n", true,
     false},
    {"method_on_tainted", "def v(request):\n  sink(request.GET['a'].strip().lower())\n", true,
     false},
    {"request_method_not_data", "def v(request):\n  sink(request.method)\n", false, false},
};

INSTANTIATE_TEST_SUITE_P(Flows, TaintCases, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace rampart::audit::python
