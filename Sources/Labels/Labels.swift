// The Labels module of AcousticPipe (see docs/architecture.md).
