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
  virtual void eval() = 0;
  // `n` clock cycles: rising edge then falling edge, each evaluated (and dumped when tracing).
  virtual void tick(uint64_t n) = 0;
  // Ticks until output `port` reads non-zero after a cycle, at most `limit` cycles; returns the cycles ticked.
  virtual uint64_t run_until(uint32_t port, uint64_t limit) = 0;
  // Rising edges since construction.
  virtual uint64_t cycle() const = 0;
  // Opens a VCD at `path` that records cycles [from, to) (time 10 * cycle); throws if it cannot be opened.
  virtual void trace_open(rust::Str path, uint64_t from, uint64_t to) = 0;
  // Flushes and closes the VCD (no-op when none is open).
  virtual void trace_close() = 0;
  virtual void trace_flush() = 0;
  virtual bool tracing() const = 0;
};

// Everything that does not depend on the port list. The generated subclass supplies set, get and set_clock
// (and marks the inputs dirty in set).
template <class V> class ModelImpl : public Model {
protected:
  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<V> top_;
  std::unique_ptr<VerilatedVcdC> vcd_;
  uint64_t cycle_ = 0;
  uint64_t from_ = 0, to_ = 0;
  bool dirty_ = true;

  virtual void set_clock(uint8_t level) = 0;

  bool in_window() const { return vcd_ && cycle_ >= from_ && cycle_ < to_; }

  void one_cycle() {
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
    ctx_->traceEverOn(true);  // before the model is constructed
    ctx_->fatalOnError(false);
    top_.reset(new V(ctx_.get(), "TOP"));
  }
  ~ModelImpl() override {
    trace_close();
    top_->final();
  }

  void eval() override {
    top_->eval();
    dirty_ = false;
  }
  void tick(uint64_t n) override {
    for (uint64_t i = 0; i < n; ++i) one_cycle();
  }
  uint64_t run_until(uint32_t port, uint64_t limit) override {
    uint64_t n = 0;
    while (n < limit) {
      one_cycle();
      ++n;
      if (get(port) != 0) break;
    }
    return n;
  }
  uint64_t cycle() const override { return cycle_; }
  void trace_open(rust::Str path, uint64_t from, uint64_t to) override {
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
