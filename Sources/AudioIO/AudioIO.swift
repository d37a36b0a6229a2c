// The AudioIO module of AcousticPipe (see docs/architecture.md).
