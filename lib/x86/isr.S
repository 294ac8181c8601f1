/*
 * Interrupt entry: one 16-byte stub per vector pushes a zero error code where the CPU pushes
 * none, then the vector, and joins the common path, which saves the registers as a
 * struct ex_regs and calls do_interrupt(). In 64-bit mode the CPU aligns RSP to 16 bytes
 * before pushing its frame; with the CPU's 40 bytes, the 136 pushed here make 176, which keeps
 * that alignment for C.
 */
#include "percpu.h"

/* Exceptions for which the CPU pushes an error code. */
#define HAS_ERROR_CODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || \
			   (v) == 29 || (v) == 30)

	.text
	.align 16
	.globl isr_stubs
isr_stubs:
	.set vec, 0
	.rept 256
	.align 16
	.if !HAS_ERROR_CODE(vec)
	pushq $0
	.endif
	pushq $vec
	jmp isr_common
	.set vec, vec + 1
	.endr

isr_common:
	push %rax
	push %rbx
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %rbp
	push %r8
	push %r9
	push %r10
	push %r11
	push %r12
	push %r13
	push %r14
	push %r15
	mov %rsp, %rdi
	cld
	call do_interrupt
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rbp
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	pop %rbx
	pop %rax
	add $16, %rsp			/* vector and error code */
	iretq

/*
 * int catch_exception_on_stack(void (*fn)(void *), void *arg): the callee-saved registers and
 * the enclosing catch's stack go on this stack, whose address the exception path uses to
 * resume at catch_resume with EAX = the vector. catch_exception() (desc.c) wraps it.
 */
	.globl catch_exception_on_stack, catch_resume
catch_exception_on_stack:
	push %rbp
	push %rbx
	push %r12
	push %r13
	push %r14
	push %r15
	pushq %gs:PERCPU_CATCH_RSP
	mov %rsp, %gs:PERCPU_CATCH_RSP
	mov %rdi, %rax
	mov %rsi, %rdi
	call *%rax
	mov $-1, %eax			/* NO_EXCEPTION */
catch_resume:
	popq %gs:PERCPU_CATCH_RSP
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbx
	pop %rbp
	ret
