// An AVX2-only x86 CPU on whatever x86 CPU this is, for one process tree: an LD_PRELOAD library
// (built and loaded by scripts/as-avx2-cpu) that turns on the kernel's CPUID faulting
// (arch_prctl ARCH_SET_CPUID, Linux 4.12+, `cpuid_fault` in /proc/cpuinfo) and answers each
// CPUID itself, with every AVX-512, AVX-VNNI and AMX bit cleared: the features of an AMD EPYC
// Zen 3 (AVX2, FMA, no AVX-512) as far as instruction sets go.
//
// Why: issue 26's bar is a ratio to ONNX Runtime measured on an AVX2-only CPU, and this
// project's machine is such a CPU only in some sessions. ONNX Runtime (MLAS), PyTorch (cpuinfo,
// oneDNN), numpy, gemm and stancer all choose their kernels from CPUID, so under this library
// every one of them runs its AVX2 code on the same cores, in the same session. It changes the
// instruction set only: cache sizes, port counts and clock stay those of the real CPU.
//
// The CPUID fault arrives as SIGSEGV (si_code SI_KERNEL, the instruction pointer on 0F A2). The
// handler turns faulting off for the one real CPUID, masks the answer and steps over the
// instruction. Programs install their own SIGSEGV handlers (Rust's stack-overflow guard,
// Python's faulthandler, gcc's cc1), so `sigaction` and `signal` for SIGSEGV are interposed: theirs is kept and called
// for every other fault, ours stays installed. Faulting is per thread, inherited by threads and
// forks and reset by execve, which runs this constructor again in the new program.
#define _GNU_SOURCE
#include <asm/prctl.h>
#include <dlfcn.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

typedef int (*sigaction_fn)(int, const struct sigaction *, struct sigaction *);

static sigaction_fn real_sigaction;
static struct sigaction program_handler; // what the program asked for SIGSEGV
static int installed;

static long set_cpuid(int enabled) { return syscall(SYS_arch_prctl, ARCH_SET_CPUID, enabled); }

static void clear(uint32_t *reg, const int *bits, size_t n) {
    for (size_t i = 0; i < n; i++) *reg &= ~(1u << bits[i]);
}

// Leaf 7 bits of the features Zen 3 lacks (Intel SDM vol. 2A, CPUID; AMD APM vol. 3, E.3.6).
static void mask(uint32_t leaf, uint32_t sub, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d) {
    if (leaf == 7 && sub == 0) {
        // EBX: AVX512F, DQ, IFMA, PF, ER, CD, BW, VL.
        static const int ebx[] = {16, 17, 21, 26, 27, 28, 30, 31};
        // ECX: AVX512_VBMI, VBMI2, GFNI, VNNI, BITALG, VPOPCNTDQ.
        static const int ecx[] = {1, 6, 8, 11, 12, 14};
        // EDX: AVX512_4VNNIW, 4FMAPS, VP2INTERSECT, AMX-BF16, AVX512_FP16, AMX-TILE, AMX-INT8.
        static const int edx[] = {2, 3, 8, 22, 23, 24, 25};
        clear(b, ebx, sizeof ebx / sizeof *ebx);
        clear(c, ecx, sizeof ecx / sizeof *ecx);
        clear(d, edx, sizeof edx / sizeof *edx);
    } else if (leaf == 7 && sub == 1) {
        // EAX: AVX-VNNI, AVX512_BF16, AMX-FP16, AVX-IFMA; EDX: AVX-VNNI-INT8, AVX-NE-CONVERT,
        // AMX-COMPLEX, AVX-VNNI-INT16, AVX10.
        static const int eax[] = {4, 5, 21, 23};
        static const int edx[] = {4, 5, 8, 10, 19};
        clear(a, eax, sizeof eax / sizeof *eax);
        clear(d, edx, sizeof edx / sizeof *edx);
    } else if (leaf == 0x1d || leaf == 0x1e || leaf == 0x24) {
        // AMX tile and AVX10 information.
        *a = *b = *c = *d = 0;
    }
}

static void chain(int sig, siginfo_t *info, void *ctx) {
    struct sigaction h = program_handler;
    if (h.sa_flags & SA_SIGINFO) {
        h.sa_sigaction(sig, info, ctx);
    } else if (h.sa_handler != SIG_DFL && h.sa_handler != SIG_IGN) {
        h.sa_handler(sig);
    } else {
        // Default: the faulting instruction runs again on return and ends the process.
        struct sigaction dfl = {0};
        dfl.sa_handler = SIG_DFL;
        real_sigaction(SIGSEGV, &dfl, NULL);
    }
}

static void on_segv(int sig, siginfo_t *info, void *ctx) {
    greg_t *g = ((ucontext_t *)ctx)->uc_mcontext.gregs;
    const unsigned char *ip = (const unsigned char *)g[REG_RIP];
    if (info->si_code != SI_KERNEL || ip[0] != 0x0f || ip[1] != 0xa2) {
        chain(sig, info, ctx);
        return;
    }
    uint32_t a = (uint32_t)g[REG_RAX], b, c = (uint32_t)g[REG_RCX], d;
    uint32_t leaf = a, sub = c;
    set_cpuid(1);
    __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
    set_cpuid(0);
    mask(leaf, sub, &a, &b, &c, &d);
    // CPUID writes the low halves and zeroes the high ones.
    g[REG_RAX] = a;
    g[REG_RBX] = b;
    g[REG_RCX] = c;
    g[REG_RDX] = d;
    g[REG_RIP] += 2;
}

int sigaction(int sig, const struct sigaction *act, struct sigaction *old) {
    if (!real_sigaction) real_sigaction = (sigaction_fn)dlsym(RTLD_NEXT, "sigaction");
    if (sig != SIGSEGV || !installed) return real_sigaction(sig, act, old);
    if (old) *old = program_handler;
    if (act) program_handler = *act;
    return 0;
}

// glibc's signal() sets handlers through its internal sigaction, which the one above does not see.
sighandler_t signal(int sig, sighandler_t handler) {
    struct sigaction act = {0}, old;
    act.sa_handler = handler;
    act.sa_flags = SA_RESTART;
    sigemptyset(&act.sa_mask);
    return sigaction(sig, &act, &old) == 0 ? old.sa_handler : SIG_ERR;
}

__attribute__((constructor)) static void start(void) {
    real_sigaction = (sigaction_fn)dlsym(RTLD_NEXT, "sigaction");
    struct sigaction ours = {0};
    ours.sa_sigaction = on_segv;
    ours.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&ours.sa_mask);
    if (real_sigaction(SIGSEGV, &ours, &program_handler) != 0) {
        perror("as-avx2-cpu: sigaction");
        _exit(97);
    }
    installed = 1;
    if (set_cpuid(0) != 0) {
        perror("as-avx2-cpu: arch_prctl(ARCH_SET_CPUID) (needs cpuid_fault in /proc/cpuinfo)");
        _exit(97);
    }
}
