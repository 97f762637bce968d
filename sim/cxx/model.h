// The C++ side of the cxx bridge (src/ffi.rs): one abstract class for every Verilated model, so that the Rust
// side needs no per-model code. build.rs generates, per model, a subclass of ModelImpl<V...> that maps port
// numbers to the Verilated class's port members (the order of the port table in the generated models.rs).
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

#include "rust/cxx.h"
#include "verilated.h"
#include "verilated_vcd_c.h"

namespace sim {

// Time units per clock cycle in a VCD: the rising edge of cycle c is at 10c, the falling edge at 10c + 5, and
// inputs changed between two cycles are shown settled at 10c - 2.
constexpr uint64_t TIME_PER_CYCLE = 10;

class Model {
public:
  virtual ~Model() = default;
  // Drives input port `port` (an index into the model's port table) with the low bits of `value`.
  virtual void set(uint32_t port, uint64_t value) = 0;
  // Reads port `port` (zero-extended; signed ports arrive as their unsigned bit pattern).
  virtual uint64_t get(uint32_t port) const = 0;
  // Evaluates the combinational logic with the current inputs.
  void eval() {
    eval_model();
    dirty_ = false;
  }
  // `n` clock cycles: rising edge then falling edge, each evaluated (and dumped when tracing).
  void tick(uint64_t n) {
    for (uint64_t i = 0; i < n; ++i) one_cycle();
  }
  // Ticks until output `port` reads non-zero after a cycle, at most `limit` cycles; returns the cycles ticked.
  uint64_t run_until(uint32_t port, uint64_t limit) {
    uint64_t n = 0;
    while (n < limit) {
      one_cycle();
      ++n;
      if (get(port) != 0) break;
    }
    return n;
  }
  // Rising edges since construction.
  uint64_t cycle() const { return cycle_; }
  // Opens a VCD at `path` that records cycles [from, to) (time 10 * cycle); throws if it cannot be opened or
  // the model was verilated without --trace.
  virtual void trace_open(rust::Str path, uint64_t from, uint64_t to) = 0;
  // Flushes and closes the VCD (no-op when none is open).
  virtual void trace_close() = 0;
  virtual void trace_flush() = 0;
  virtual bool tracing() const = 0;

  // Host bus (a valid/strobe bus as the accelerator's, see hdl::regmap): the ports, by number.
  void bus_ports(uint32_t addr, uint32_t wdata, uint32_t write, uint32_t read, uint32_t rdata, uint32_t rvalid) {
    bus_ = Bus{addr, wdata, write, read, rdata, rvalid, true};
  }
  // One write cycle per word to consecutive addresses from `addr`: address and data with the write strobe
  // high for one clock each (back to back).
  void bus_write(uint32_t addr, rust::Slice<const uint32_t> words) {
    check_bus();
    for (size_t i = 0; i < words.size(); ++i) {
      set(bus_.addr, addr + i);
      set(bus_.wdata, words[i]);
      set(bus_.write, 1);
      one_cycle();
      set(bus_.write, 0);
    }
  }
  // Reads consecutive words from `addr` into `out`: per word, the read strobe high for one clock, then
  // rvalid must rise exactly `latency` clocks after the strobe (checked for up to latency + 2 clocks).
  // Returns the number of words read; if it is short of out.size(), the next read's rvalid came after
  // last_read_clocks() clocks (0: not within latency + 2).
  uint64_t bus_read(uint32_t addr, rust::Slice<uint32_t> out, uint32_t latency) {
    check_bus();
    for (size_t i = 0; i < out.size(); ++i) {
      set(bus_.addr, addr + i);
      set(bus_.read, 1);
      one_cycle();
      set(bus_.read, 0);
      last_read_clocks_ = 0;
      for (uint32_t clocks = 1; clocks <= latency + 2; ++clocks) {
        if (get(bus_.rvalid) != 0) {
          last_read_clocks_ = clocks;
          break;
        }
        one_cycle();
      }
      if (last_read_clocks_ != latency) return i;
      out[i] = static_cast<uint32_t>(get(bus_.rdata));
    }
    return out.size();
  }
  uint32_t last_read_clocks() const { return last_read_clocks_; }

protected:
  struct Bus {
    uint32_t addr, wdata, write, read, rdata, rvalid;
    bool set;
  };
  Bus bus_{0, 0, 0, 0, 0, 0, false};
  uint32_t last_read_clocks_ = 0;
  uint64_t cycle_ = 0;
  bool dirty_ = true;

  virtual void eval_model() = 0;
  virtual void one_cycle() = 0;
  void check_bus() const {
    if (!bus_.set) throw std::logic_error("bus_ports was not called");
  }
};

// Everything that does not depend on the port list. The generated subclass supplies set, get and set_clock
// (and marks the inputs dirty in set). `Trace`: verilated with --trace.
template <class V, bool Trace> class ModelImpl : public Model {
protected:
  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<V> top_;
  std::unique_ptr<VerilatedVcdC> vcd_;
  uint64_t from_ = 0, to_ = 0;

  virtual void set_clock(uint8_t level) = 0;

  bool in_window() const {
    if constexpr (Trace) {
      return vcd_ && cycle_ >= from_ && cycle_ < to_;
    } else {
      return false;
    }
  }

  void eval_model() final { top_->eval(); }

  void one_cycle() final {
    if (dirty_) {
      // Settle inputs changed since the last edge so that the waveform shows them before the edge.
      top_->eval();
      if (in_window() && cycle_ > 0) vcd_->dump(cycle_ * TIME_PER_CYCLE - 2);
      dirty_ = false;
    }
    set_clock(1);
    top_->eval();
    if (in_window()) vcd_->dump(cycle_ * TIME_PER_CYCLE);
    set_clock(0);
    top_->eval();
    if (in_window()) vcd_->dump(cycle_ * TIME_PER_CYCLE + 5);
    ++cycle_;
  }

public:
  ModelImpl() : ctx_(new VerilatedContext) {
    if constexpr (Trace) ctx_->traceEverOn(true);  // before the model is constructed
    ctx_->fatalOnError(false);
    top_.reset(new V(ctx_.get(), "TOP"));
  }
  ~ModelImpl() override {
    trace_close();
    top_->final();
  }

  void trace_open(rust::Str path, uint64_t from, uint64_t to) override {
    if constexpr (Trace) {
      trace_close();
      std::unique_ptr<VerilatedVcdC> vcd(new VerilatedVcdC);
      top_->trace(vcd.get(), 99);
      std::string p(path.data(), path.size());
      vcd->open(p.c_str());
      if (!vcd->isOpen()) throw std::runtime_error("cannot open VCD file " + p);
      vcd_ = std::move(vcd);
      from_ = from;
      to_ = to;
      dirty_ = true;
    } else {
      (void)path, (void)from, (void)to;
      throw std::runtime_error("the model was verilated without --trace");
    }
  }
  void trace_close() override {
    if (vcd_) {
      vcd_->close();
      vcd_.reset();
    }
  }
  void trace_flush() override {
    if (vcd_) vcd_->flush();
  }
  bool tracing() const override { return static_cast<bool>(vcd_); }
};

std::unique_ptr<Model> new_model(uint32_t index);

}  // namespace sim
