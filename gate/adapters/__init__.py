"""The gate's side of the outside world: files, git's index, the cache folder, a content
repository's `.gate.toml` and the organisation's webhook. The core (`gate/*.py`) reads
and writes none of these; the command line and the hooks reach them through here."""
