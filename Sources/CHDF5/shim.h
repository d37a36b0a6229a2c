#ifndef ACOUSTICPIPE_CHDF5_SHIM_H
#define ACOUSTICPIPE_CHDF5_SHIM_H
// HDF5's type and property constants are macros over run-time globals (H5T_NATIVE_FLOAT expands to
// H5OPEN H5T_NATIVE_FLOAT_g), which Swift cannot import. These getters expose them; each one
// calls ap_H5open() first, as the macros do with H5open(), so the globals are initialised.
#include <hdf5.h>

// Initialises the library without its atexit handler. HDF5's H5_term_library closes, at exit, every
// file still open; a file whose close failed (a full disk) is left half destroyed in its ID table,
// and closing it again there crashed the process (SIGSEGV in H5F__close_cb) after the error had
// been reported. H5dont_atexit only sets a flag read when the library initialises, so calling it
// before every H5open is harmless; the Store module closes each object itself (handles that close
// themselves), so nothing is left for an exit handler to do.
static inline herr_t ap_H5open(void) { H5dont_atexit(); return H5open(); }

static inline hid_t ap_H5P_DEFAULT(void) { return H5P_DEFAULT; }
static inline hid_t ap_H5S_ALL(void) { return H5S_ALL; }
static inline hsize_t ap_H5S_UNLIMITED(void) { return H5S_UNLIMITED; }
static inline unsigned ap_H5F_ACC_TRUNC(void) { return H5F_ACC_TRUNC; }
static inline unsigned ap_H5F_ACC_RDONLY(void) { return H5F_ACC_RDONLY; }
static inline unsigned ap_H5F_ACC_RDWR(void) { return H5F_ACC_RDWR; }
static inline hid_t ap_H5P_FILE_ACCESS(void) { ap_H5open(); return H5P_FILE_ACCESS; }
static inline hid_t ap_H5P_FILE_CREATE(void) { ap_H5open(); return H5P_FILE_CREATE; }
static inline hid_t ap_H5P_DATASET_CREATE(void) { ap_H5open(); return H5P_DATASET_CREATE; }
static inline hid_t ap_H5P_DATASET_ACCESS(void) { ap_H5open(); return H5P_DATASET_ACCESS; }
static inline hid_t ap_H5P_LINK_CREATE(void) { ap_H5open(); return H5P_LINK_CREATE; }
static inline hid_t ap_H5T_NATIVE_FLOAT(void) { ap_H5open(); return H5T_NATIVE_FLOAT; }
static inline hid_t ap_H5T_NATIVE_DOUBLE(void) { ap_H5open(); return H5T_NATIVE_DOUBLE; }
static inline hid_t ap_H5T_NATIVE_INT32(void) { ap_H5open(); return H5T_NATIVE_INT32; }
static inline hid_t ap_H5T_NATIVE_INT64(void) { ap_H5open(); return H5T_NATIVE_INT64; }
static inline hid_t ap_H5T_NATIVE_UINT64(void) { ap_H5open(); return H5T_NATIVE_UINT64; }
static inline hid_t ap_H5T_NATIVE_UINT8(void) { ap_H5open(); return H5T_NATIVE_UINT8; }
static inline hid_t ap_H5T_C_S1(void) { ap_H5open(); return H5T_C_S1; }
static inline hid_t ap_H5T_IEEE_F32LE(void) { ap_H5open(); return H5T_IEEE_F32LE; }
static inline hid_t ap_H5T_STD_I32LE(void) { ap_H5open(); return H5T_STD_I32LE; }
static inline hid_t ap_H5T_STD_I64LE(void) { ap_H5open(); return H5T_STD_I64LE; }
static inline hid_t ap_H5T_STD_U64LE(void) { ap_H5open(); return H5T_STD_U64LE; }
static inline size_t ap_H5T_VARIABLE(void) { return H5T_VARIABLE; }
static inline hid_t ap_H5P_GROUP_CREATE(void) { ap_H5open(); return H5P_GROUP_CREATE; }
static inline hid_t ap_H5E_DEFAULT(void) { return H5E_DEFAULT; }

#endif
