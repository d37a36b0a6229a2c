// The Pipeline module of AcousticPipe (see docs/architecture.md).
