def f(:
  x = request.args["a"] +
