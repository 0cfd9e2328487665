EXTRA_DIST += bench/verify-bench.sh
