# PGXS build of vector_ext.so from C++17 sources (src/core + src/pg).
#
# LLVM bitcode: Debian's server is built with JIT, so PGXS would also emit .bc
# files for every source at install time. We turn that off for this extension:
# the hot loops are our own SIMD kernels, which JIT inlining cannot improve, and
# it spares users the matching clang/llvm packages.
override with_llvm := no

EXTENSION  = vector_ext
EXTVERSION = $(shell sed -n "s/^default_version = '\(.*\)'/\1/p" vector_ext.control)
MODULE_big = vector_ext

SRCS = $(sort $(shell find src/core src/pg -name '*.cpp'))
OBJS = $(SRCS:.cpp=.o)

# The extension script is assembled from one file per topic under sql/ext/.
EXT_PARTS = $(sort $(wildcard sql/ext/*.sql))
# Upgrades (README "Upgrades"): released install scripts are frozen in git as
# sql/vector_ext--<old>.sql. The upgrade script from the previous release is the
# hand-written sql/upgrade/<old>--<new>.sql followed by every sql/ext part whose
# first line is exactly "-- since <new>" (the objects this version adds).
PREV_VERSION  = 0.1.0
EXT_NEW_PARTS = $(shell for f in $(EXT_PARTS); do [ "$$(head -n1 $$f)" = "-- since $(EXTVERSION)" ] && echo $$f; done)
UPGRADE_HEAD  = sql/upgrade/$(PREV_VERSION)--$(EXTVERSION).sql
DATA_built = sql/$(EXTENSION)--$(EXTVERSION).sql sql/$(EXTENSION)--$(PREV_VERSION)--$(EXTVERSION).sql
DATA = $(filter-out $(DATA_built),$(wildcard sql/$(EXTENSION)--*.sql))

# pg_regress: every sql/*.sql except extension scripts, in name order.
REGRESS = $(sort $(filter-out $(EXTENSION)--%,$(patsubst sql/%.sql,%,$(wildcard sql/*.sql))))
REGRESS_OPTS = --load-extension=$(EXTENSION)

PG_CPPFLAGS = -I$(CURDIR)/src
PG_CXXFLAGS = -std=c++17 -fPIC -O2 -fno-math-errno -Wno-missing-field-initializers
# Faiss is linked statically (Debian ships a PIC libfaiss.a); its symbols stay private.
FAISS_LIB ?= $(firstword $(wildcard /usr/lib/*/libfaiss.a /usr/lib/libfaiss.a))
# OpenBLAS: the OpenMP build, found first through RUNPATH. Debian's default
# (pthread) build starts a thread as soon as it is loaded, which would put a
# thread in every backend and, with shared_preload_libraries, in the postmaster.
OPENBLAS_DIR ?= $(firstword $(wildcard /usr/lib/*/openblas-openmp))
SHLIB_LINK = -Wl,--exclude-libs,ALL $(FAISS_LIB) -L$(OPENBLAS_DIR) -Wl,-rpath,$(OPENBLAS_DIR) \
	-lopenblas -llapack -fopenmp -lstdc++ -lm

# VX_SANITIZE=1: AddressSanitizer and UndefinedBehaviorSanitizer (for
# scripts/regress_sanitized.sh, which preloads the runtime into the server).
ifeq ($(VX_SANITIZE),1)
PG_CXXFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
SHLIB_LINK += -fsanitize=address,undefined
endif

# One file per instruction set; the dispatcher picks at run time.
ISA_AVX2   = -mavx2 -mfma -mf16c -mpopcnt
ISA_AVX512 = $(ISA_AVX2) -mavx512f -mavx512bw -mavx512vl -mavx512dq -mavx512vpopcntdq
ISA_AVX512VNNI = $(ISA_AVX512) -mavx512vnni
$(filter %_avx2.o,$(OBJS)):   override CXXFLAGS += $(ISA_AVX2)
$(filter %_avx512.o,$(OBJS)): override CXXFLAGS += $(ISA_AVX512)
$(filter %_avx512vnni.o,$(OBJS)): override CXXFLAGS += $(ISA_AVX512VNNI)

EXTRA_CLEAN = $(DATA_built) results regression.diffs regression.out

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# sql/ext itself is a prerequisite so that removing a part rebuilds the scripts.
sql/$(EXTENSION)--$(EXTVERSION).sql: sql/ext $(EXT_PARTS) vector_ext.control
	cat $(EXT_PARTS) > $@

sql/$(EXTENSION)--$(PREV_VERSION)--$(EXTVERSION).sql: $(UPGRADE_HEAD) sql/ext $(EXT_PARTS) vector_ext.control
	cat $(UPGRADE_HEAD) $(EXT_NEW_PARTS) > $@

# Every object depends on the headers (simple and safe: headers are few).
$(OBJS): $(shell find src -name '*.h')
