# Lab 4 (events): event channels between domains and to virtual IRQs, the
# shared-info page (event bitmaps, the virtual interrupt flag, time),
# upcalls into the guest kernel, the one-shot timer, and blocking.
L4 := lab4-events

HV_SRCS += $(addprefix $(L4)/hv/, evtchn.c evtchn_bits.c shared_info.c event_channel.c upcall.c \
	event_timer.c)
HOST_SRCS += $(addprefix $(L4)/hv/, evtchn.c evtchn_bits.c)
TEST_SRCS += $(sort $(wildcard $(L4)/tests/*.c $(L4)/tests/hidden/*.c))

INCLUDE_DIRS += $(L4)/include
GRADED_DEFS += $(L4)/tests/graded.def
HIDDEN_DEFS += $(wildcard $(L4)/tests/hidden/graded.def)

GUEST_KERNEL_SRCS += $(addprefix $(L4)/guest/kernel/, events.c events_entry.S shell_events.c)
GUEST_PROGRAMS += $(addprefix $(L4)/guest/programs/, evping.c evprobe.c evfuzz.c)
GUEST_INCLUDE_DIRS += $(L4)/guest/include

# make bench: the interdomain event round trip, next to lab 3's figures.
BENCH_MODULES := $(BENCH_MODULES),evping.elf role=pong peer=2 count=10000,evping.elf role=ping peer=1 port=2 count=10000 bench=yes

# make demo: two domains bounce a thousand events between them (domains 7
# and 8, after the earlier labs' seven guests).
DEMO_MODULES := $(DEMO_MODULES),evping.elf role=pong peer=8 count=1000,evping.elf role=ping peer=7 port=2 count=1000
