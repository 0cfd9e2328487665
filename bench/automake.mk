# Benchmarks: programs and scripts that print ratios against a baseline
# measured in the same run.  Run them with "make bench".
