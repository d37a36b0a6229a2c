// The Features module of AcousticPipe (see docs/architecture.md).
