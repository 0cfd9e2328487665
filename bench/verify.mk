# "make bench-verify": the verification benchmark (see the script; the live
# comparison runs in the kernel lab).
EXTRA_DIST += bench/verify-bench.sh
bench-verify: tests/test-verify
	$(SHELL) $(srcdir)/bench/verify-bench.sh
.PHONY: bench-verify
