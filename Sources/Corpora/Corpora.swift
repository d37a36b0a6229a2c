// The Corpora module of AcousticPipe (see docs/architecture.md).
