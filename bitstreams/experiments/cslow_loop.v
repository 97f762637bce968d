// EXPERIMENT (not part of the product, not generated): the EG decoder's stage-A recurrence
// (hdl/src/eg_decoder.rs) as a two-way C-slow loop, to measure what Fmax a register cut after the
// two CLZ64 trees can reach on the iCE40 before building it in rust-hdl. Two contexts alternate:
// S holds the state of the context entering A1 (window mask + trees), M the one in A2 (next position,
// row bookkeeping, queue update, fetch). Memory data and configuration come from registered pins so
// nothing folds away; a few result bits leave through an XOR tree. Run: bitstreams/experiments/cslow.sh
module cslow_loop(input clk, input [7:0] pins, input load, output reg [3:0] out);
    localparam [63:0] Z_RANGE = ~(64'hFFFF_FFFF_FFFF_FFFF >> 40);  // 32 + SKIP_MAX positions
    localparam [63:0] A_RANGE = ~(64'hFFFF_FFFF_FFFF_FFFF >> 52);  // 32 + SKIP_MAX + M_MAX + 1
    reg [31:0] mem_data;
    reg [2:0] k;
    reg zero_skip;
    reg [8:0] cols;
    always @(posedge clk) begin
        mem_data <= {mem_data[23:0], pins};
        if (load) begin
            k <= pins[2:0];
            zero_skip <= pins[3];
            cols <= {pins, 1'b1};
        end
    end
    wire zs_eff = zero_skip & (k == 3'd0);
    // ---- S: the context entering A1
    reg [31:0] q0, q1, q2, q3, gm;
    reg [2:0] nq;
    reg [4:0] pos;
    reg [8:0] rleft;
    reg [7:0] col;
    reg inflight, active;
    // ---- A1: position mask, the two trees; everything A2 needs from registered state
    wire [63:0] win = {q0, q1};
    wire [63:0] gmask = {gm, 32'hFFFF_FFFF};
    wire [6:0] zv, av;
    clz64 clz_z(.word((~win) & gmask & Z_RANGE), .count(zv));
    clz64 clz_a(.word((win & ~(win >> 1)) & (gmask >> 1) & A_RANGE), .count(av));
    wire [3:0] lim = zs_eff ? ((|rleft[8:3]) ? 4'd8 : rleft[3:0]) : 4'd0;
    wire [6:0] pl = {2'b0, pos} + {3'b0, lim};
    wire [8:0] rp = rleft + {4'b0, pos};
    // ---- M: the context in A2
    reg [31:0] m_q0, m_q1, m_q2, m_q3;
    reg [2:0] m_nq;
    reg [4:0] m_pos;
    reg [8:0] m_rleft, m_rp, m_rl1;
    reg [7:0] m_col, m_cp, m_cl;
    reg [6:0] m_z, m_a, m_pl, m_one;
    reg [3:0] m_lim;
    reg m_inflight, m_active;
`ifdef ONE_CONTEXT
    always @(*) begin  // the same loop without the cut: one context, one clock per step
`else
    always @(posedge clk) begin
`endif
        m_q0 <= q0; m_q1 <= q1; m_q2 <= q2; m_q3 <= q3; m_nq <= nq; m_pos <= pos; m_rleft <= rleft;
        m_col <= col; m_inflight <= inflight; m_active <= active; m_z <= zv; m_a <= av; m_pl <= pl;
        m_one <= pl + {4'b0, k} + 7'd1; m_lim <= lim; m_rp <= rp; m_rl1 <= rleft - {5'b0, lim} - 9'd1;
        m_cp <= col - {3'b0, pos}; m_cl <= col + {4'b0, lim};
    end
    // ---- A2: next position, row bookkeeping, queue and fetch
    wire ovf = m_z > m_pl;
    wire [6:0] k2 = {4'b0, k} + 7'd2;
    wire [6:0] next_cw = (m_a << 1) + ~m_z + k2;
    wire [6:0] nxt = ovf ? m_one : next_cw;
    wire pop = nxt[5] | nxt[6];
    wire last_cw = ovf ? (m_rleft == {5'b0, m_lim}) : (m_rp == {2'b0, m_z});
    wire [8:0] r_next = ovf ? m_rl1 : (m_rp - 9'd1 - {2'b0, m_z});
    wire [7:0] col_next = ovf ? (m_cl + 8'd1) : (m_cp + 8'd1 + {1'b0, m_z});
    wire go = m_active & (m_nq >= 3'd2);
    wire [2:0] cnt = m_nq + {2'b0, m_inflight};
    wire issue = m_active & (cnt < 3'd4);
    wire [31:0] din = m_inflight ? mem_data : 32'd0;
    always @(posedge clk) begin
        active <= load ? 1'b1 : m_active;
        inflight <= issue;
        pos <= go ? nxt[4:0] : m_pos;
        gm <= go ? (32'hFFFF_FFFF >> nxt[4:0]) : {m_pos == 0, 31'h7FFF_FFFF >> m_pos};
        rleft <= go ? (last_cw ? cols - 9'd1 : r_next) : m_rleft;
        col <= go ? (last_cw ? 8'd0 : col_next) : m_col;
        if (go & pop) begin
            q0 <= (m_nq == 3'd1) ? din : m_q1;
            q1 <= (m_nq == 3'd2) ? (m_q2 | din) : m_q2;
            q2 <= (m_nq == 3'd3) ? (m_q3 | din) : m_q3;
            q3 <= 32'd0;
            nq <= cnt - 3'd1;
        end else begin
            q0 <= (m_nq == 3'd0) ? din : m_q0;
            q1 <= (m_nq == 3'd1) ? din : m_q1;
            q2 <= (m_nq == 3'd2) ? din : m_q2;
            q3 <= (m_nq == 3'd3) ? din : m_q3;
            nq <= cnt;
        end
        out <= {^{nxt, last_cw}, ^r_next, ^col_next, ^{m_z, m_a}};
    end
endmodule

module clz64(word,count);
    
    // Module arguments
    input wire  [63:0] word;
    output reg  [6:0] count;
    
    // Update code (custom)
    wire z1_0 = ~(word[1] | word[0]);
    wire c1_0 = ~word[1];
    wire z1_1 = ~(word[3] | word[2]);
    wire c1_1 = ~word[3];
    wire z1_2 = ~(word[5] | word[4]);
    wire c1_2 = ~word[5];
    wire z1_3 = ~(word[7] | word[6]);
    wire c1_3 = ~word[7];
    wire z1_4 = ~(word[9] | word[8]);
    wire c1_4 = ~word[9];
    wire z1_5 = ~(word[11] | word[10]);
    wire c1_5 = ~word[11];
    wire z1_6 = ~(word[13] | word[12]);
    wire c1_6 = ~word[13];
    wire z1_7 = ~(word[15] | word[14]);
    wire c1_7 = ~word[15];
    wire z1_8 = ~(word[17] | word[16]);
    wire c1_8 = ~word[17];
    wire z1_9 = ~(word[19] | word[18]);
    wire c1_9 = ~word[19];
    wire z1_10 = ~(word[21] | word[20]);
    wire c1_10 = ~word[21];
    wire z1_11 = ~(word[23] | word[22]);
    wire c1_11 = ~word[23];
    wire z1_12 = ~(word[25] | word[24]);
    wire c1_12 = ~word[25];
    wire z1_13 = ~(word[27] | word[26]);
    wire c1_13 = ~word[27];
    wire z1_14 = ~(word[29] | word[28]);
    wire c1_14 = ~word[29];
    wire z1_15 = ~(word[31] | word[30]);
    wire c1_15 = ~word[31];
    wire z1_16 = ~(word[33] | word[32]);
    wire c1_16 = ~word[33];
    wire z1_17 = ~(word[35] | word[34]);
    wire c1_17 = ~word[35];
    wire z1_18 = ~(word[37] | word[36]);
    wire c1_18 = ~word[37];
    wire z1_19 = ~(word[39] | word[38]);
    wire c1_19 = ~word[39];
    wire z1_20 = ~(word[41] | word[40]);
    wire c1_20 = ~word[41];
    wire z1_21 = ~(word[43] | word[42]);
    wire c1_21 = ~word[43];
    wire z1_22 = ~(word[45] | word[44]);
    wire c1_22 = ~word[45];
    wire z1_23 = ~(word[47] | word[46]);
    wire c1_23 = ~word[47];
    wire z1_24 = ~(word[49] | word[48]);
    wire c1_24 = ~word[49];
    wire z1_25 = ~(word[51] | word[50]);
    wire c1_25 = ~word[51];
    wire z1_26 = ~(word[53] | word[52]);
    wire c1_26 = ~word[53];
    wire z1_27 = ~(word[55] | word[54]);
    wire c1_27 = ~word[55];
    wire z1_28 = ~(word[57] | word[56]);
    wire c1_28 = ~word[57];
    wire z1_29 = ~(word[59] | word[58]);
    wire c1_29 = ~word[59];
    wire z1_30 = ~(word[61] | word[60]);
    wire c1_30 = ~word[61];
    wire z1_31 = ~(word[63] | word[62]);
    wire c1_31 = ~word[63];
    wire z2_0 = z1_1 & z1_0;
    wire [1:0] c2_0 = z1_1 ? {1'b1, c1_0} : {1'b0, c1_1};
    wire z2_1 = z1_3 & z1_2;
    wire [1:0] c2_1 = z1_3 ? {1'b1, c1_2} : {1'b0, c1_3};
    wire z2_2 = z1_5 & z1_4;
    wire [1:0] c2_2 = z1_5 ? {1'b1, c1_4} : {1'b0, c1_5};
    wire z2_3 = z1_7 & z1_6;
    wire [1:0] c2_3 = z1_7 ? {1'b1, c1_6} : {1'b0, c1_7};
    wire z2_4 = z1_9 & z1_8;
    wire [1:0] c2_4 = z1_9 ? {1'b1, c1_8} : {1'b0, c1_9};
    wire z2_5 = z1_11 & z1_10;
    wire [1:0] c2_5 = z1_11 ? {1'b1, c1_10} : {1'b0, c1_11};
    wire z2_6 = z1_13 & z1_12;
    wire [1:0] c2_6 = z1_13 ? {1'b1, c1_12} : {1'b0, c1_13};
    wire z2_7 = z1_15 & z1_14;
    wire [1:0] c2_7 = z1_15 ? {1'b1, c1_14} : {1'b0, c1_15};
    wire z2_8 = z1_17 & z1_16;
    wire [1:0] c2_8 = z1_17 ? {1'b1, c1_16} : {1'b0, c1_17};
    wire z2_9 = z1_19 & z1_18;
    wire [1:0] c2_9 = z1_19 ? {1'b1, c1_18} : {1'b0, c1_19};
    wire z2_10 = z1_21 & z1_20;
    wire [1:0] c2_10 = z1_21 ? {1'b1, c1_20} : {1'b0, c1_21};
    wire z2_11 = z1_23 & z1_22;
    wire [1:0] c2_11 = z1_23 ? {1'b1, c1_22} : {1'b0, c1_23};
    wire z2_12 = z1_25 & z1_24;
    wire [1:0] c2_12 = z1_25 ? {1'b1, c1_24} : {1'b0, c1_25};
    wire z2_13 = z1_27 & z1_26;
    wire [1:0] c2_13 = z1_27 ? {1'b1, c1_26} : {1'b0, c1_27};
    wire z2_14 = z1_29 & z1_28;
    wire [1:0] c2_14 = z1_29 ? {1'b1, c1_28} : {1'b0, c1_29};
    wire z2_15 = z1_31 & z1_30;
    wire [1:0] c2_15 = z1_31 ? {1'b1, c1_30} : {1'b0, c1_31};
    wire z3_0 = z2_1 & z2_0;
    wire [2:0] c3_0 = z2_1 ? {1'b1, c2_0} : {1'b0, c2_1};
    wire z3_1 = z2_3 & z2_2;
    wire [2:0] c3_1 = z2_3 ? {1'b1, c2_2} : {1'b0, c2_3};
    wire z3_2 = z2_5 & z2_4;
    wire [2:0] c3_2 = z2_5 ? {1'b1, c2_4} : {1'b0, c2_5};
    wire z3_3 = z2_7 & z2_6;
    wire [2:0] c3_3 = z2_7 ? {1'b1, c2_6} : {1'b0, c2_7};
    wire z3_4 = z2_9 & z2_8;
    wire [2:0] c3_4 = z2_9 ? {1'b1, c2_8} : {1'b0, c2_9};
    wire z3_5 = z2_11 & z2_10;
    wire [2:0] c3_5 = z2_11 ? {1'b1, c2_10} : {1'b0, c2_11};
    wire z3_6 = z2_13 & z2_12;
    wire [2:0] c3_6 = z2_13 ? {1'b1, c2_12} : {1'b0, c2_13};
    wire z3_7 = z2_15 & z2_14;
    wire [2:0] c3_7 = z2_15 ? {1'b1, c2_14} : {1'b0, c2_15};
    wire z4_0 = z3_1 & z3_0;
    wire [3:0] c4_0 = z3_1 ? {1'b1, c3_0} : {1'b0, c3_1};
    wire z4_1 = z3_3 & z3_2;
    wire [3:0] c4_1 = z3_3 ? {1'b1, c3_2} : {1'b0, c3_3};
    wire z4_2 = z3_5 & z3_4;
    wire [3:0] c4_2 = z3_5 ? {1'b1, c3_4} : {1'b0, c3_5};
    wire z4_3 = z3_7 & z3_6;
    wire [3:0] c4_3 = z3_7 ? {1'b1, c3_6} : {1'b0, c3_7};
    wire z5_0 = z4_1 & z4_0;
    wire [4:0] c5_0 = z4_1 ? {1'b1, c4_0} : {1'b0, c4_1};
    wire z5_1 = z4_3 & z4_2;
    wire [4:0] c5_1 = z4_3 ? {1'b1, c4_2} : {1'b0, c4_3};
    wire z6_0 = z5_1 & z5_0;
    wire [5:0] c6_0 = z5_1 ? {1'b1, c5_0} : {1'b0, c5_1};
    always @(*) count = z6_0 ? 7'd64 : {1'b0, c6_0};
endmodule // clz64
