"""The annual « bilan pédagogique et financier » (BPF): the categories (``fixtures/bpf.yaml``),
the figures of a calendar year computed from enrolments and attendance, and their exports."""
