# The README's two commands are `make run` and `make test`; `make check` is the inner loop.
.PHONY: run test check bench tools cluster

run:
	bash scripts/run.sh

test:
	bash scripts/test.sh

# make check [T=feature]: fmt, clippy, and the SQLite tests whose names match T.
check:
	bash scripts/check.sh $(T)

bench:
	bash scripts/bench.sh

# PostgreSQL, two app servers and nginx on loopback, with the demo data (docs/deploiement.md).
cluster:
	bash scripts/cluster.sh

tools:
	bash scripts/setup-tools.sh
