"""Retarus SMS connector for Power Platform: source models, package builder, linter,
simulator and runtime."""

# The one place the connector's version lives: the swagger's info.version and
# x-ms-api-annotation, the package zip name and the Python distribution follow it.
__version__ = "1.0.0"
