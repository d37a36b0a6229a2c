// The DSP module of AcousticPipe (see docs/architecture.md).
