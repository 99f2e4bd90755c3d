# The README's two commands are `make run` and `make test`.
.PHONY: run test bench tools

run:
	bash scripts/run.sh

test:
	bash scripts/test.sh

bench:
	bash scripts/bench.sh

tools:
	bash scripts/setup-tools.sh
