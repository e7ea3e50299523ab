"""RQ jobs: thin wrappers that run app services inside an application context."""
