# Benchmarks: each prints its figures and ratios against a baseline
# measured in the same run.  "make bench" runs the host ones.
EXTRA_DIST += bench/reconcile-bench.sh bench/responsive.py bench/edit-storm.py \
	bench/reaction-bench.sh bench/reaction.py bench/lib.sh bench/idle-bench.sh

bench: all
	$(SHELL) $(srcdir)/bench/reconcile-bench.sh
	$(SHELL) $(srcdir)/bench/reaction-bench.sh
	$(SHELL) $(srcdir)/bench/idle-bench.sh
.PHONY: bench
