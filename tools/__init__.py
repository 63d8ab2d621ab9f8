"""Developer tools, not part of the product: the demo data (`seed_demo`, used by `make run`),
the synthetic data generator (`genereer_data`) and the benchmarks (`benchmark_import`,
`benchmark_rapportage`). The top layer of the import contract: it may use every app, no app
may use it. Not installed when ROUTETOOL_ENV=production."""
