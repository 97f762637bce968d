// A tiny design that proves the Verilator build infrastructure (sim/build.rs): not part of the accelerator.
// A 32-bit counter with enable and synchronous clear, a 64-bit shadow of it, a signed port and a "done" flag
// that rises when the counter reaches `target`.
module counter (
    input  wire        clock,
    input  wire        enable,
    input  wire        clear,
    input  wire [31:0] target,
    input  wire signed [7:0] offset,
    output reg  [31:0] count,
    output wire [63:0] wide,
    output wire signed [15:0] shifted,
    output wire        done
);
    initial count = 32'd0;
    always @(posedge clock) begin
        if (clear) count <= 32'd0;
        else if (enable) count <= count + 32'd1;
    end
    assign wide = {count, ~count};
    assign shifted = $signed(count[15:0]) + offset;
    assign done = (count == target);
endmodule
