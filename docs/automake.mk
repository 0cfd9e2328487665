man_MANS += docs/ovs-offloadd.8 docs/ovs-offloadctl.8 docs/ovs-offload-db.8
EXTRA_DIST += docs/ovs-offloadd.8 docs/ovs-offloadctl.8 docs/ovs-offload-db.8 \
	docs/design.md
