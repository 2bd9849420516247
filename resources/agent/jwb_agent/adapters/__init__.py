"""Framework adapters. Each module offers SUITES, check(options) -> info dict
(raises bench.NotInstalled / bench.Unsupported) and run(suite, options, phase) -> metrics."""
