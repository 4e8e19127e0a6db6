"""What the tests share: wordlists built in memory (`wordlists`), the webhook app under
Flask's test client (`app`), and a real gunicorn on 127.0.0.1 (`server`, which the
benchmarks and the soak use too)."""

# How long a test waits for something that should happen (a process to finish, a worker
# to come back) before it calls it a hang. A guard, not a speed test: far above what any
# step takes on a loaded 2-core machine. Speed is measured in bench/, never asserted here.
HANG_SECONDS = 600
