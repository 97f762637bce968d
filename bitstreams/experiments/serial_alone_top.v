// EXPERIMENT: the bit-serial decoder (module eg_serial, from
// `cargo run --release -p bitstreams --example dump_verilog -- serial-decoder 1 eg_serial.v`)
// alone between registers, to time its own paths: every input (start, abort, enable, the
// configuration) is a bit of a shift register fed from a pin, the stream is a 256 x 32 block RAM
// written from the same shift register, and every output goes into a register whose XOR drives a
// pin. Used by serial_alone.sh.
module serial_alone(input clock, input din, input we, output reg dout);
  reg [127:0] sh;
  always @(posedge clock) sh <= {sh[126:0], din};
  reg [31:0] mem [0:255];
  reg [31:0] rd;
  wire [11:0] mem_addr;
  always @(posedge clock) begin
    if (we) mem[sh[7:0]] <= sh[39:8];
    rd <= mem[mem_addr[7:0]];
  end
  wire out_valid, out_last, busy, error;
  wire [15:0] out_index;
  wire [7:0] out_col, err_row, err_col;
  wire [3:0] out_skip, err_code;
  eg_serial dec(
    .clock(clock), .start(sh[0]), .abort(sh[1]), .enable(sh[2]), .k(sh[5:3]), .zero_skip(sh[6]),
    .cols(sh[15:7]), .rows(sh[24:16]), .stream_len(sh[37:25]), .vmap_len(sh[50:38]),
    .mem_addr(mem_addr), .mem_data(rd),
    .out_valid(out_valid), .out_index(out_index), .out_col(out_col), .out_last(out_last),
    .out_skip(out_skip), .busy(busy), .error(error), .err_code(err_code), .err_row(err_row),
    .err_col(err_col));
  reg [63:0] o;
  always @(posedge clock) begin
    o <= {out_valid, out_last, busy, error, out_index, out_col, err_row, err_col, out_skip, err_code, mem_addr[11:8]};
    dout <= ^o;
  end
endmodule
