#pragma once
// Nettle's SHA-256 (Debian's nettle-dev): the store's checksums, without compiling a TLS library.
#include <nettle/sha2.h>
#include <nettle/version.h>
