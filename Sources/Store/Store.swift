// The Store module of AcousticPipe (see docs/architecture.md).
