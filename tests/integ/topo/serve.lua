-- Two hosts; a's program (--set prog=...) is expected to serve for the
-- whole run, b's does. Used to check that a program that ends is caught.
return topology {
  name = "serve",
  nodes = {
    node { "a", role = "host", run = { param("prog", "sleep 3600") } },
    node { "b", role = "host", run = { "sleep 3600" } },
  },
  links = { link { "a", "b" } },
}
