/**
 * The syscall filter of every box: a classic BPF program that bubblewrap installs (`--seccomp`)
 * right before it starts the box's command, so the command and everything it starts inherit it.
 * It is a deny-list: the syscalls below return EPERM, everything else runs as usual. A toolchain
 * never needs any of them (the conformance sample and every challenge pass with it), and the
 * candidate's code only ever needs them to attack something.
 *
 *   arch      the host's own ABI only (x86_64 or aarch64): a 32-bit syscall (`int 0x80` on
 *             x86_64, AArch32) has another numbering and would walk past the list, so every one
 *             is denied; so is the x32 ABI (syscall numbers with bit 30 set on x86_64)
 *   number    each denied syscall by its number on that ABI
 *   arguments personality(2) only with the personas Docker allows (no ADDR_NO_RANDOMIZE, no
 *             READ_IMPLIES_EXEC); socket(2) never for AF_VSOCK
 *
 * The program is built once per process per ABI (`seccompFilter`); bubblewrap reads it from a
 * descriptor as an array of `struct sock_filter`.
 */
import os from 'node:os'

/** The ABIs Tandem builds a filter for, by Node's `process.arch` name. */
export type SeccompArch = 'x64' | 'arm64'

export interface DeniedSyscall {
  name: string
  /** Number on x86_64; absent where the syscall does not exist there. */
  x64?: number
  /** Number on aarch64 (the generic table); absent where it does not exist there. */
  arm64?: number
  /** Why a box must not have it. */
  why: string
}

/**
 * Every syscall a box is denied, with its number per ABI (from the kernel's `unistd_64.h` and
 * `asm-generic/unistd.h`). Many would fail anyway, for want of a capability the box never has;
 * they are listed so that a kernel bug in a capability check, or a box started with more
 * privilege than today, still meets a wall.
 */
export const deniedSyscalls: readonly DeniedSyscall[] = [
  // Other processes: reading or steering them.
  {
    name: 'ptrace',
    x64: 101,
    arm64: 117,
    why: "attach to and steer other processes of the box (bubblewrap's own pid 1 included)",
  },
  { name: 'process_vm_readv', x64: 310, arm64: 270, why: "read another process's memory" },
  { name: 'process_vm_writev', x64: 311, arm64: 271, why: "write another process's memory" },
  {
    name: 'kcmp',
    x64: 312,
    arm64: 272,
    why: 'compare kernel objects of two processes: an address-layout oracle',
  },
  { name: 'pidfd_getfd', x64: 438, arm64: 438, why: 'copy a descriptor out of another process' },
  { name: 'process_madvise', x64: 440, arm64: 440, why: "act on another process's memory" },
  { name: 'process_mrelease', x64: 448, arm64: 448, why: "act on another process's memory" },
  { name: 'move_pages', x64: 279, arm64: 239, why: "move another process's pages" },
  { name: 'migrate_pages', x64: 256, arm64: 238, why: "move another process's pages" },
  // Kernel attack surface no program of ours needs.
  {
    name: 'keyctl',
    x64: 250,
    arm64: 219,
    why: 'kernel keyrings are not namespaced, and a long line of CVEs',
  },
  { name: 'add_key', x64: 248, arm64: 217, why: 'kernel keyrings (see keyctl)' },
  { name: 'request_key', x64: 249, arm64: 218, why: 'kernel keyrings (see keyctl)' },
  { name: 'bpf', x64: 321, arm64: 280, why: 'eBPF: a large in-kernel attack surface' },
  {
    name: 'perf_event_open',
    x64: 298,
    arm64: 241,
    why: 'performance counters: side channels and CVEs',
  },
  {
    name: 'userfaultfd',
    x64: 323,
    arm64: 282,
    why: 'pauses the kernel on a page fault: makes kernel race exploits reliable',
  },
  {
    name: 'io_uring_setup',
    x64: 425,
    arm64: 425,
    why: 'io_uring runs I/O that this filter never sees, and has had many CVEs',
  },
  { name: 'io_uring_enter', x64: 426, arm64: 426, why: 'io_uring (see io_uring_setup)' },
  { name: 'io_uring_register', x64: 427, arm64: 427, why: 'io_uring (see io_uring_setup)' },
  {
    name: 'modify_ldt',
    x64: 154,
    why: 'x86 segment descriptors: a classic exploit primitive, used by nothing here',
  },
  { name: 'uselib', x64: 134, why: 'the obsolete a.out loader' },
  {
    name: 'syslog',
    x64: 103,
    arm64: 116,
    why: "the host kernel's log: addresses, devices, other users' activity",
  },
  {
    name: 'name_to_handle_at',
    x64: 303,
    arm64: 264,
    why: 'file handles: with open_by_handle_at, the Shocker escape',
  },
  {
    name: 'open_by_handle_at',
    x64: 304,
    arm64: 265,
    why: "opens a file by handle, past the box's mounts",
  },
  // The box's own walls: mounts, namespaces, root.
  { name: 'mount', x64: 165, arm64: 40, why: "rearrange the box's mounts" },
  { name: 'umount2', x64: 166, arm64: 39, why: 'uncover what a mount hides' },
  { name: 'pivot_root', x64: 155, arm64: 41, why: "change the box's root" },
  { name: 'chroot', x64: 161, arm64: 51, why: 'change the root: a step of many escapes' },
  { name: 'open_tree', x64: 428, arm64: 428, why: 'the new mount API (see mount)' },
  { name: 'move_mount', x64: 429, arm64: 429, why: 'the new mount API (see mount)' },
  { name: 'fsopen', x64: 430, arm64: 430, why: 'the new mount API (see mount)' },
  { name: 'fsconfig', x64: 431, arm64: 431, why: 'the new mount API (see mount)' },
  { name: 'fsmount', x64: 432, arm64: 432, why: 'the new mount API (see mount)' },
  { name: 'fspick', x64: 433, arm64: 433, why: 'the new mount API (see mount)' },
  { name: 'mount_setattr', x64: 442, arm64: 442, why: 'the new mount API (see mount)' },
  {
    name: 'unshare',
    x64: 272,
    arm64: 97,
    why: 'new namespaces are the first step of most container escapes',
  },
  { name: 'setns', x64: 308, arm64: 268, why: 'enter another namespace' },
  // The machine itself.
  { name: 'kexec_load', x64: 246, arm64: 104, why: 'replace the running kernel' },
  { name: 'kexec_file_load', x64: 320, arm64: 294, why: 'replace the running kernel' },
  { name: 'reboot', x64: 169, arm64: 142, why: 'reboot or halt the machine' },
  { name: 'swapon', x64: 167, arm64: 224, why: "the machine's swap" },
  { name: 'swapoff', x64: 168, arm64: 225, why: "the machine's swap" },
  { name: 'init_module', x64: 175, arm64: 105, why: 'load kernel code' },
  { name: 'finit_module', x64: 313, arm64: 273, why: 'load kernel code' },
  { name: 'delete_module', x64: 176, arm64: 106, why: 'unload kernel code' },
  { name: 'iopl', x64: 172, why: 'raw I/O ports' },
  { name: 'ioperm', x64: 173, why: 'raw I/O ports' },
  { name: 'acct', x64: 163, arm64: 89, why: 'process accounting of the whole machine' },
  { name: 'settimeofday', x64: 164, arm64: 170, why: 'the clock is not namespaced' },
  { name: 'clock_settime', x64: 227, arm64: 112, why: 'the clock is not namespaced' },
  { name: 'adjtimex', x64: 159, arm64: 171, why: 'the clock is not namespaced' },
  { name: 'clock_adjtime', x64: 305, arm64: 266, why: 'the clock is not namespaced' },
  { name: 'sethostname', x64: 170, arm64: 161, why: "the box's name is the host's choice" },
  { name: 'setdomainname', x64: 171, arm64: 162, why: "the box's name is the host's choice" },
]

/** personality(2) is allowed with these personas only (Docker's list), else EPERM. */
export const allowedPersonas: readonly number[] = [
  0x0, // PER_LINUX
  0x8, // PER_LINUX32
  0x20000, // UNAME26
  0x20008, // UNAME26 | PER_LINUX32
  0xffffffff, // query the current persona
]

/** socket(2) refuses this family: vsock is not network-namespaced and reaches the hypervisor. */
export const deniedSocketFamily = 40 // AF_VSOCK

const personality = { x64: 135, arm64: 92 } as const
const socket = { x64: 41, arm64: 198 } as const

const audit = { x64: 0xc000003e, arm64: 0xc00000b7 } as const
/** x32 syscalls are x86_64 syscalls with this bit set in the number. */
const x32SyscallBit = 0x40000000

const EPERM = 1

// struct seccomp_data: int nr; u32 arch; u64 instruction_pointer; u64 args[6] (little-endian).
const offsetNr = 0
const offsetArch = 4
const offsetArg0Low = 16

// Classic BPF opcodes.
const LD_W_ABS = 0x20
const JEQ_K = 0x15
const JGE_K = 0x35
const RET_K = 0x06

const SECCOMP_RET_ALLOW = 0x7fff0000
const SECCOMP_RET_ERRNO = 0x00050000

type Label = 'allow' | 'deny' | 'personality' | 'socket'
type Target = Label | 0

interface Instruction {
  code: number
  k: number
  jt?: Target
  jf?: Target
  label?: Label
}

/**
 * The filter for `arch` (default: this process's) as bubblewrap reads it: `struct sock_filter`
 * entries, 8 bytes each. `errno` is what a denied syscall returns (default EPERM; tests pick an
 * unusual one to tell the filter's refusals from the kernel's own).
 */
export function seccompFilter(arch: string = process.arch, errno: number = EPERM): Buffer {
  const key = `${arch}:${errno}`
  let program = built.get(key)
  if (program === undefined) {
    program = assemble(instructionsFor(supportedArch(arch), errno))
    built.set(key, program)
  }
  return program
}

const built = new Map<string, Buffer>()

function supportedArch(arch: string): SeccompArch {
  // Little-endian only: the argument offsets below assume it (so does sock_filter's encoding).
  if ((arch === 'x64' || arch === 'arm64') && os.endianness() === 'LE') return arch
  throw new Error(`no seccomp filter for ${arch}: boxes run on x86_64 and aarch64 only`)
}

function instructionsFor(arch: SeccompArch, errno: number): Instruction[] {
  const load = (offset: number): Instruction => ({ code: LD_W_ABS, k: offset })
  const program: Instruction[] = [
    load(offsetArch),
    // Another ABI numbers syscalls differently: deny it all.
    { code: JEQ_K, k: audit[arch], jt: 0, jf: 'deny' },
    load(offsetNr),
  ]
  if (arch === 'x64') program.push({ code: JGE_K, k: x32SyscallBit, jt: 'deny', jf: 0 })
  program.push({ code: JEQ_K, k: personality[arch], jt: 'personality', jf: 0 })
  program.push({ code: JEQ_K, k: socket[arch], jt: 'socket', jf: 0 })
  for (const syscall of deniedSyscalls) {
    const number = syscall[arch]
    if (number !== undefined) program.push({ code: JEQ_K, k: number, jt: 'deny', jf: 0 })
  }
  // Every other syscall runs.
  program.push({ code: RET_K, k: SECCOMP_RET_ALLOW })
  // The kernel reads a persona as an unsigned int: the argument's low 32 bits are all it sees.
  program.push({ ...load(offsetArg0Low), label: 'personality' })
  allowedPersonas.forEach((persona, index) => {
    const last = index === allowedPersonas.length - 1
    program.push({ code: JEQ_K, k: persona, jt: 'allow', jf: last ? 'deny' : 0 })
  })
  program.push({ ...load(offsetArg0Low), label: 'socket' })
  program.push({ code: JEQ_K, k: deniedSocketFamily, jt: 'deny', jf: 'allow' })
  // Jumps go forward only: the two verdicts come last.
  program.push({ code: RET_K, k: SECCOMP_RET_ALLOW, label: 'allow' })
  program.push({ code: RET_K, k: SECCOMP_RET_ERRNO | errno, label: 'deny' })
  return program
}

/** Resolves labels into forward jump offsets and encodes each instruction. */
function assemble(program: Instruction[]): Buffer {
  const at = new Map<Label, number>()
  program.forEach((instruction, index) => {
    if (instruction.label !== undefined) at.set(instruction.label, index)
  })
  const out = Buffer.alloc(program.length * 8)
  program.forEach((instruction, index) => {
    const offset = (target: Target | undefined): number => {
      if (target === undefined || target === 0) return 0
      const distance = (at.get(target) ?? -1) - index - 1
      // Classic BPF jumps only forward, at most 255 instructions.
      if (distance < 0 || distance > 255) throw new Error(`seccomp jump to ${target} out of range`)
      return distance
    }
    const base = index * 8
    out.writeUInt16LE(instruction.code, base)
    out.writeUInt32LE(instruction.k >>> 0, base + 4)
    out.writeUInt8(offset(instruction.jt), base + 2)
    out.writeUInt8(offset(instruction.jf), base + 3)
  })
  return out
}
