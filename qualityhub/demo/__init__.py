"""Running QualityHub on one machine for a demo: the `demo` command and its sign-ins."""
