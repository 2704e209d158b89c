-- A node whose program crashes shortly after the run is up.
return topology {
  name = "crash",
  nodes = {
    node { "a", role = "host", run = { "sleep 0.3; kill -SEGV $$" } },
    node { "b", role = "host", run = { "sleep 3600" } },
  },
  links = { link { "a", "b" } },
}
