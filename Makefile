# The two README commands. Everything else is in scripts/.
.PHONY: run test lint

run:  ## install, migrate, load reference + demo data, start web + worker + scheduler
	@scripts/run.sh

test:  ## install, start PostgreSQL + Redis (unless configured), run the whole suite
	@scripts/test.sh

lint:
	@scripts/bootstrap.sh dev && .venv/bin/ruff check . && .venv/bin/ruff format --check .
