

module bs_accel_p1_serial(clock,host_addr,host_wdata,host_write,host_read,host_rdata,host_rvalid,irq,boot_start,boot_valid,boot_word);
    
    // Module arguments
    input wire  clock;
    input wire  [15:0] host_addr;
    input wire  [31:0] host_wdata;
    input wire  host_write;
    input wire  host_read;
    output reg  [31:0] host_rdata;
    output reg  host_rvalid;
    output reg  irq;
    input wire  boot_start;
    input wire  boot_valid;
    input wire  [31:0] boot_word;
    
    // Constant declarations
    localparam  lane_shift = 4'h9;
    localparam  id_value = 32'hb5ac0101;
    localparam  caps_value = 32'h87080809;
    localparam  vmap_entries = 32'h100;
    localparam  model_id = 32'h0;
    localparam  vmap_entries14 = 14'b100000000;
    localparam  vmap_hi14 = 14'b11111100000000;
    localparam  vmap_hi32 = 32'hffffff00;
    localparam  dim_n32 = 32'h100;
    localparam  dim_hi32 = 32'hffffff00;
    localparam  dim_n13 = 13'b100000000;
    localparam  dim_hi13 = 13'b1111100000000;
    localparam  a_ctrl = 16'h1;
    localparam  ctrl_start = 32'h1;
    localparam  ctrl_reset = 32'h2;
    localparam  reg_hi = 16'hffc0;
    localparam  len_mask = 16'h38;
    localparam  a_len0 = 16'h18;
    localparam  w_stream_mask = 16'hfe00;
    localparam  w_stream = 16'h8000;
    localparam  w_vmap_mask = 16'hff00;
    localparam  w_vmap = 16'h1000;
    localparam  w_bias_mask = 16'hff00;
    localparam  w_bias = 16'h2000;
    localparam  w_act_mask = 16'hff00;
    localparam  w_act = 16'h3000;
    localparam  w_out = 16'h4000;
    localparam  s_id = 64'h1;
    localparam  s_status = 64'h4;
    localparam  s_error = 64'h8;
    localparam  s_error_pos = 64'h10;
    localparam  s_cycles = 64'h20;
    localparam  s_perf_nz = 64'h40;
    localparam  s_perf_skip = 64'h80;
    localparam  s_perf_zm = 64'h100;
    localparam  s_perf_stall = 64'h200;
    localparam  s_caps = 64'h400;
    localparam  s_model_id = 64'h800;
    localparam  s_rows = 64'h10000;
    localparam  s_cols = 64'h20000;
    localparam  s_k = 64'h40000;
    localparam  s_shift = 64'h80000;
    localparam  s_flags = 64'h100000;
    localparam  s_vlen = 64'h200000;
    localparam  s_sbase = 64'h100000000;
    localparam  s_vbase = 64'h200000000;
    localparam  s_bbase = 64'h400000000;
    localparam  f_relu = 32'h1;
    localparam  f_zskip = 32'h2;
    localparam  e_bad_config = 4'h4;
    localparam  one8 = 8'h1;
    localparam  one64 = 64'h1;
    localparam  a_rows = 16'h10;
    localparam  ctrl_model = 32'h4;
    localparam  replay_last = 5'b10010;
    localparam  w_table_mask = 16'hff00;
    localparam  w_table = 16'h5000;
    localparam  s_layer = 64'h1000;
    localparam  s_argmax = 64'h2000;
    localparam  s_mcycles = 64'h4000;
    localparam  s_nl = 64'h800000000;
    localparam  has_model = 1'b0;
    localparam  ctrl_load = 32'h8;
    localparam  e_bad_image = 4'h5;
    localparam  s_load_data = 64'h1000000000;
    localparam  s_load_status = 64'h2000000000;
    
    // Stub signals
    reg  array$clock;
    reg  array$start;
    reg  array$abort;
    reg  [2:0] array$k;
    reg  array$zero_skip;
    reg  array$relu;
    reg  [4:0] array$shift;
    reg  [11:0] array$cols;
    reg  [11:0] array$rows;
    reg  [12:0] array$vmap_len;
    reg  [14:0] array$stream_base;
    reg  [12:0] array$vmap_base;
    reg  [10:0] array$bias_base;
    reg  [7:0] array$stream_we;
    reg  [7:0] array$len_we;
    reg  array$vmap_we;
    reg  array$act_we;
    reg  array$hsel;
    wire  [10:0] array$argmax;
    reg  array$model;
    reg  array$bias_we;
    reg  [13:0] array$host_waddr;
    reg  [31:0] array$host_wdata;
    reg  [10:0] array$out_raddr;
    wire  [7:0] array$out_rdata;
    wire  array$busy;
    wire  array$error;
    wire  [3:0] array$err_code;
    wire  [3:0] array$err_lane;
    wire  [15:0] array$err_row;
    wire  [10:0] array$err_col;
    wire  array$len_bad;
    wire  [3:0] array$perf_nz;
    wire  [3:0] array$perf_zm;
    wire  [7:0] array$perf_skip;
    wire  [3:0] array$perf_stall;
    reg  [11:0] rows$d;
    wire  [11:0] rows$q;
    reg  rows$clock;
    reg  [11:0] cols$d;
    wire  [11:0] cols$q;
    reg  cols$clock;
    reg  [2:0] kq$d;
    wire  [2:0] kq$q;
    reg  kq$clock;
    reg  [4:0] shift$d;
    wire  [4:0] shift$q;
    reg  shift$clock;
    reg  relu$d;
    wire  relu$q;
    reg  relu$clock;
    reg  zskip$d;
    wire  zskip$q;
    reg  zskip$clock;
    reg  [12:0] vmap_len$d;
    wire  [12:0] vmap_len$q;
    reg  vmap_len$clock;
    reg  rows_big$d;
    wire  rows_big$q;
    reg  rows_big$clock;
    reg  cols_big$d;
    wire  cols_big$q;
    reg  cols_big$clock;
    reg  k_big$d;
    wire  k_big$q;
    reg  k_big$clock;
    reg  shift_big$d;
    wire  shift_big$q;
    reg  shift_big$clock;
    reg  vmap_big$d;
    wire  vmap_big$q;
    reg  vmap_big$clock;
    reg  [14:0] stream_base$d;
    wire  [14:0] stream_base$q;
    reg  stream_base$clock;
    reg  [12:0] vmap_base$d;
    wire  [12:0] vmap_base$q;
    reg  vmap_base$clock;
    reg  [11:0] bias_base$d;
    wire  [11:0] bias_base$q;
    reg  bias_base$clock;
    reg  sbase_big$d;
    wire  sbase_big$q;
    reg  sbase_big$clock;
    reg  vbase_big$d;
    wire  vbase_big$q;
    reg  vbase_big$clock;
    reg  bbase_big$d;
    wire  bbase_big$q;
    reg  bbase_big$clock;
    reg  busy$d;
    wire  busy$q;
    reg  busy$clock;
    reg  done$d;
    wire  done$q;
    reg  done$clock;
    reg  err$d;
    wire  err$q;
    reg  err$clock;
    reg  [3:0] err_code$d;
    wire  [3:0] err_code$q;
    reg  err_code$clock;
    reg  [3:0] err_lane$d;
    wire  [3:0] err_lane$q;
    reg  err_lane$clock;
    reg  [15:0] err_row$d;
    wire  [15:0] err_row$q;
    reg  err_row$clock;
    reg  [10:0] err_col$d;
    wire  [10:0] err_col$q;
    reg  err_col$clock;
    reg  arr_start$d;
    wire  arr_start$q;
    reg  arr_start$clock;
    reg  arr_start_d$d;
    wire  arr_start_d$q;
    reg  arr_start_d$clock;
    reg  arr_abort$d;
    wire  arr_abort$q;
    reg  arr_abort$clock;
    reg  [15:0] h_addr$d;
    wire  [15:0] h_addr$q;
    reg  h_addr$clock;
    reg  [31:0] h_wdata$d;
    wire  [31:0] h_wdata$q;
    reg  h_wdata$clock;
    reg  h_read$d;
    wire  h_read$q;
    reg  h_read$clock;
    reg  w_reset$d;
    wire  w_reset$q;
    reg  w_reset$clock;
    reg  w_start$d;
    wire  w_start$q;
    reg  w_start$clock;
    reg  start_req$d;
    wire  start_req$q;
    reg  start_req$clock;
    reg  start_req2$d;
    wire  start_req2$q;
    reg  start_req2$clock;
    reg  cfg_bad$d;
    wire  cfg_bad$q;
    reg  cfg_bad$clock;
    reg  vend_bad$d;
    wire  vend_bad$q;
    reg  vend_bad$clock;
    reg  bend_bad$d;
    wire  bend_bad$q;
    reg  bend_bad$clock;
    reg  bad_q$d;
    wire  bad_q$q;
    reg  bad_q$clock;
    reg  h_stream$d;
    wire  h_stream$q;
    reg  h_stream$clock;
    reg  h_vmap$d;
    wire  h_vmap$q;
    reg  h_vmap$clock;
    reg  h_bias$d;
    wire  h_bias$q;
    reg  h_bias$clock;
    reg  h_act$d;
    wire  h_act$q;
    reg  h_act$clock;
    reg  h_out$d;
    wire  h_out$q;
    reg  h_out$clock;
    reg  hd_gt7$d;
    wire  hd_gt7$q;
    reg  hd_gt7$clock;
    reg  hd_gt31$d;
    wire  hd_gt31$q;
    reg  hd_gt31$clock;
    reg  hd_gt_dim$d;
    wire  hd_gt_dim$q;
    reg  hd_gt_dim$clock;
    reg  hd_gt4096$d;
    wire  hd_gt4096$q;
    reg  hd_gt4096$clock;
    reg  hd_gt_sw$d;
    wire  hd_gt_sw$q;
    reg  hd_gt_sw$clock;
    reg  hd_gt_vmap$d;
    wire  hd_gt_vmap$q;
    reg  hd_gt_vmap$clock;
    reg  hd_nz$d;
    wire  hd_nz$q;
    reg  hd_nz$clock;
    reg  [7:0] nzmap$read_address;
    reg  nzmap$read_clock;
    wire  nzmap$read_data;
    reg  [7:0] nzmap$write_address;
    reg  nzmap$write_clock;
    reg  nzmap$write_data;
    reg  nzmap$write_enable;
    reg  [3:0] ev_nz$d;
    wire  [3:0] ev_nz$q;
    reg  ev_nz$clock;
    reg  [3:0] ev_zm$d;
    wire  [3:0] ev_zm$q;
    reg  ev_zm$clock;
    reg  [7:0] ev_skip$d;
    wire  [7:0] ev_skip$q;
    reg  ev_skip$clock;
    reg  [3:0] ev_stall$d;
    wire  [3:0] ev_stall$q;
    reg  ev_stall$clock;
    reg  busy_d1$d;
    wire  busy_d1$q;
    reg  busy_d1$clock;
    reg  busy_d2$d;
    wire  busy_d2$q;
    reg  busy_d2$clock;
    reg  err_fin$d;
    wire  err_fin$q;
    reg  err_fin$clock;
    reg  [31:0] cycles$d;
    wire  [31:0] cycles$q;
    reg  cycles$clock;
    reg  [31:0] perf_nz$d;
    wire  [31:0] perf_nz$q;
    reg  perf_nz$clock;
    reg  [31:0] perf_skip$d;
    wire  [31:0] perf_skip$q;
    reg  perf_skip$clock;
    reg  [31:0] perf_zm$d;
    wire  [31:0] perf_zm$q;
    reg  perf_zm$clock;
    reg  [31:0] perf_stall$d;
    wire  [31:0] perf_stall$q;
    reg  perf_stall$clock;
    reg  rd1_valid$d;
    wire  rd1_valid$q;
    reg  rd1_valid$clock;
    reg  rd1_out$d;
    wire  rd1_out$q;
    reg  rd1_out$clock;
    reg  [31:0] rd1_val$d;
    wire  [31:0] rd1_val$q;
    reg  rd1_val$clock;
    reg  [31:0] rdata$d;
    wire  [31:0] rdata$q;
    reg  rdata$clock;
    reg  rvalid$d;
    wire  rvalid$q;
    reg  rvalid$clock;
    reg  wr_e$d;
    wire  wr_e$q;
    reg  wr_e$clock;
    reg  [63:0] rsel$d;
    wire  [63:0] rsel$q;
    reg  rsel$clock;
    reg  h_low$d;
    wire  h_low$q;
    reg  h_low$clock;
    reg  [7:0] ltab$read_address;
    reg  ltab$read_clock;
    wire  [31:0] ltab$read_data;
    reg  [7:0] ltab$write_address;
    reg  ltab$write_clock;
    reg  [31:0] ltab$write_data;
    reg  ltab$write_enable;
    reg  [3:0] nlayers$d;
    wire  [3:0] nlayers$q;
    reg  nlayers$clock;
    reg  nl_bad$d;
    wire  nl_bad$q;
    reg  nl_bad$clock;
    reg  hd_nl_bad$d;
    wire  hd_nl_bad$q;
    reg  hd_nl_bad$clock;
    reg  w_model$d;
    wire  w_model$q;
    reg  w_model$clock;
    reg  mrun$d;
    wire  mrun$q;
    reg  mrun$clock;
    reg  mload$d;
    wire  mload$q;
    reg  mload$clock;
    reg  mph$d;
    wire  mph$q;
    reg  mph$clock;
    reg  mgo$d;
    wire  mgo$q;
    reg  mgo$clock;
    reg  [4:0] mj$d;
    wire  [4:0] mj$q;
    reg  mj$clock;
    reg  [3:0] mlayer$d;
    wire  [3:0] mlayer$q;
    reg  mlayer$clock;
    reg  hsel$d;
    wire  hsel$q;
    reg  hsel$clock;
    reg  [31:0] mcycles$d;
    wire  [31:0] mcycles$q;
    reg  mcycles$clock;
    reg  mwb$d;
    wire  mwb$q;
    reg  mwb$clock;
    reg  [7:0] mwb_addr$d;
    wire  [7:0] mwb_addr$q;
    reg  mwb_addr$clock;
    reg  m_more$d;
    wire  m_more$q;
    reg  m_more$clock;
    reg  h_table$d;
    wire  h_table$q;
    reg  h_table$clock;
    reg  rd1_tab$d;
    wire  rd1_tab$q;
    reg  rd1_tab$clock;
    reg  ld$clock;
    reg  ld$load_start;
    reg  ld$word_valid;
    reg  [31:0] ld$word;
    reg  ld$taken;
    reg  ld$invalidate;
    wire  ld$wr;
    wire  [15:0] ld$wr_addr;
    wire  [31:0] ld$wr_data;
    wire  [31:0] ld$model_id;
    wire  [31:0] ld$status;
    wire  ld$blocked;
    reg  w_load$d;
    wire  w_load$q;
    reg  w_load$clock;
    reg  h_ld$d;
    wire  h_ld$q;
    reg  h_ld$clock;
    
    // Local signals
    reg  hw_rows;
    reg  hw_cols;
    reg  hw_k;
    reg  hw_shift;
    reg  hw_flags;
    reg  hw_vlen;
    reg  hw_sbase;
    reg  hw_vbase;
    reg  hw_bbase;
    reg  hw_len;
    reg  [13:0] vmap_end;
    reg  [12:0] bias_end;
    reg  [13:0] offs;
    reg  wr_ok;
    reg  [7:0] lane_bit;
    reg  stat_busy;
    reg  [31:0] rmux;
    reg  [31:0] rg0;
    reg  [31:0] rg2;
    reg  [31:0] rg3;
    reg  [31:0] rg4;
    reg  [31:0] rg5;
    reg  [31:0] rg6;
    reg  [31:0] rg7;
    reg  [31:0] rg8;
    reg  [31:0] rg9;
    reg  [31:0] rg10;
    reg  [31:0] rg11;
    reg  [31:0] rg16;
    reg  [31:0] rg17;
    reg  [31:0] rg18;
    reg  [31:0] rg19;
    reg  [31:0] rg20;
    reg  [31:0] rg21;
    reg  [31:0] rg32;
    reg  [31:0] rg33;
    reg  [31:0] rg34;
    reg  [31:0] sext;
    reg  hw_nl;
    reg  [7:0] tword;
    reg  [15:0] q_addr;
    reg  [31:0] q_wdata;
    reg  q_write;
    reg  q_seq;
    reg  [31:0] rg12;
    reg  [31:0] rg13;
    reg  [31:0] rg14;
    reg  [31:0] rg35;
    reg  q_ld;
    reg  ld_block;
    reg  [31:0] rg37;
    
    // Sub module instances
    bs_accel_p1_serial$array array(
        .clock(array$clock),
        .start(array$start),
        .abort(array$abort),
        .k(array$k),
        .zero_skip(array$zero_skip),
        .relu(array$relu),
        .shift(array$shift),
        .cols(array$cols),
        .rows(array$rows),
        .vmap_len(array$vmap_len),
        .stream_base(array$stream_base),
        .vmap_base(array$vmap_base),
        .bias_base(array$bias_base),
        .stream_we(array$stream_we),
        .len_we(array$len_we),
        .vmap_we(array$vmap_we),
        .act_we(array$act_we),
        .hsel(array$hsel),
        .argmax(array$argmax),
        .model(array$model),
        .bias_we(array$bias_we),
        .host_waddr(array$host_waddr),
        .host_wdata(array$host_wdata),
        .out_raddr(array$out_raddr),
        .out_rdata(array$out_rdata),
        .busy(array$busy),
        .error(array$error),
        .err_code(array$err_code),
        .err_lane(array$err_lane),
        .err_row(array$err_row),
        .err_col(array$err_col),
        .len_bad(array$len_bad),
        .perf_nz(array$perf_nz),
        .perf_zm(array$perf_zm),
        .perf_skip(array$perf_skip),
        .perf_stall(array$perf_stall)
    );
    bs_accel_p1_serial$rows rows(
        .d(rows$d),
        .q(rows$q),
        .clock(rows$clock)
    );
    bs_accel_p1_serial$cols cols(
        .d(cols$d),
        .q(cols$q),
        .clock(cols$clock)
    );
    bs_accel_p1_serial$kq kq(
        .d(kq$d),
        .q(kq$q),
        .clock(kq$clock)
    );
    bs_accel_p1_serial$shift shift(
        .d(shift$d),
        .q(shift$q),
        .clock(shift$clock)
    );
    bs_accel_p1_serial$relu relu(
        .d(relu$d),
        .q(relu$q),
        .clock(relu$clock)
    );
    bs_accel_p1_serial$zskip zskip(
        .d(zskip$d),
        .q(zskip$q),
        .clock(zskip$clock)
    );
    bs_accel_p1_serial$vmap_len vmap_len(
        .d(vmap_len$d),
        .q(vmap_len$q),
        .clock(vmap_len$clock)
    );
    bs_accel_p1_serial$rows_big rows_big(
        .d(rows_big$d),
        .q(rows_big$q),
        .clock(rows_big$clock)
    );
    bs_accel_p1_serial$cols_big cols_big(
        .d(cols_big$d),
        .q(cols_big$q),
        .clock(cols_big$clock)
    );
    bs_accel_p1_serial$k_big k_big(
        .d(k_big$d),
        .q(k_big$q),
        .clock(k_big$clock)
    );
    bs_accel_p1_serial$shift_big shift_big(
        .d(shift_big$d),
        .q(shift_big$q),
        .clock(shift_big$clock)
    );
    bs_accel_p1_serial$vmap_big vmap_big(
        .d(vmap_big$d),
        .q(vmap_big$q),
        .clock(vmap_big$clock)
    );
    bs_accel_p1_serial$stream_base stream_base(
        .d(stream_base$d),
        .q(stream_base$q),
        .clock(stream_base$clock)
    );
    bs_accel_p1_serial$vmap_base vmap_base(
        .d(vmap_base$d),
        .q(vmap_base$q),
        .clock(vmap_base$clock)
    );
    bs_accel_p1_serial$bias_base bias_base(
        .d(bias_base$d),
        .q(bias_base$q),
        .clock(bias_base$clock)
    );
    bs_accel_p1_serial$sbase_big sbase_big(
        .d(sbase_big$d),
        .q(sbase_big$q),
        .clock(sbase_big$clock)
    );
    bs_accel_p1_serial$vbase_big vbase_big(
        .d(vbase_big$d),
        .q(vbase_big$q),
        .clock(vbase_big$clock)
    );
    bs_accel_p1_serial$bbase_big bbase_big(
        .d(bbase_big$d),
        .q(bbase_big$q),
        .clock(bbase_big$clock)
    );
    bs_accel_p1_serial$busy busy(
        .d(busy$d),
        .q(busy$q),
        .clock(busy$clock)
    );
    bs_accel_p1_serial$done done(
        .d(done$d),
        .q(done$q),
        .clock(done$clock)
    );
    bs_accel_p1_serial$err err(
        .d(err$d),
        .q(err$q),
        .clock(err$clock)
    );
    bs_accel_p1_serial$err_code err_code(
        .d(err_code$d),
        .q(err_code$q),
        .clock(err_code$clock)
    );
    bs_accel_p1_serial$err_lane err_lane(
        .d(err_lane$d),
        .q(err_lane$q),
        .clock(err_lane$clock)
    );
    bs_accel_p1_serial$err_row err_row(
        .d(err_row$d),
        .q(err_row$q),
        .clock(err_row$clock)
    );
    bs_accel_p1_serial$err_col err_col(
        .d(err_col$d),
        .q(err_col$q),
        .clock(err_col$clock)
    );
    bs_accel_p1_serial$arr_start arr_start(
        .d(arr_start$d),
        .q(arr_start$q),
        .clock(arr_start$clock)
    );
    bs_accel_p1_serial$arr_start_d arr_start_d(
        .d(arr_start_d$d),
        .q(arr_start_d$q),
        .clock(arr_start_d$clock)
    );
    bs_accel_p1_serial$arr_abort arr_abort(
        .d(arr_abort$d),
        .q(arr_abort$q),
        .clock(arr_abort$clock)
    );
    bs_accel_p1_serial$h_addr h_addr(
        .d(h_addr$d),
        .q(h_addr$q),
        .clock(h_addr$clock)
    );
    bs_accel_p1_serial$h_wdata h_wdata(
        .d(h_wdata$d),
        .q(h_wdata$q),
        .clock(h_wdata$clock)
    );
    bs_accel_p1_serial$h_read h_read(
        .d(h_read$d),
        .q(h_read$q),
        .clock(h_read$clock)
    );
    bs_accel_p1_serial$w_reset w_reset(
        .d(w_reset$d),
        .q(w_reset$q),
        .clock(w_reset$clock)
    );
    bs_accel_p1_serial$w_start w_start(
        .d(w_start$d),
        .q(w_start$q),
        .clock(w_start$clock)
    );
    bs_accel_p1_serial$start_req start_req(
        .d(start_req$d),
        .q(start_req$q),
        .clock(start_req$clock)
    );
    bs_accel_p1_serial$start_req2 start_req2(
        .d(start_req2$d),
        .q(start_req2$q),
        .clock(start_req2$clock)
    );
    bs_accel_p1_serial$cfg_bad cfg_bad(
        .d(cfg_bad$d),
        .q(cfg_bad$q),
        .clock(cfg_bad$clock)
    );
    bs_accel_p1_serial$vend_bad vend_bad(
        .d(vend_bad$d),
        .q(vend_bad$q),
        .clock(vend_bad$clock)
    );
    bs_accel_p1_serial$bend_bad bend_bad(
        .d(bend_bad$d),
        .q(bend_bad$q),
        .clock(bend_bad$clock)
    );
    bs_accel_p1_serial$bad_q bad_q(
        .d(bad_q$d),
        .q(bad_q$q),
        .clock(bad_q$clock)
    );
    bs_accel_p1_serial$h_stream h_stream(
        .d(h_stream$d),
        .q(h_stream$q),
        .clock(h_stream$clock)
    );
    bs_accel_p1_serial$h_vmap h_vmap(
        .d(h_vmap$d),
        .q(h_vmap$q),
        .clock(h_vmap$clock)
    );
    bs_accel_p1_serial$h_bias h_bias(
        .d(h_bias$d),
        .q(h_bias$q),
        .clock(h_bias$clock)
    );
    bs_accel_p1_serial$h_act h_act(
        .d(h_act$d),
        .q(h_act$q),
        .clock(h_act$clock)
    );
    bs_accel_p1_serial$h_out h_out(
        .d(h_out$d),
        .q(h_out$q),
        .clock(h_out$clock)
    );
    bs_accel_p1_serial$hd_gt7 hd_gt7(
        .d(hd_gt7$d),
        .q(hd_gt7$q),
        .clock(hd_gt7$clock)
    );
    bs_accel_p1_serial$hd_gt31 hd_gt31(
        .d(hd_gt31$d),
        .q(hd_gt31$q),
        .clock(hd_gt31$clock)
    );
    bs_accel_p1_serial$hd_gt_dim hd_gt_dim(
        .d(hd_gt_dim$d),
        .q(hd_gt_dim$q),
        .clock(hd_gt_dim$clock)
    );
    bs_accel_p1_serial$hd_gt4096 hd_gt4096(
        .d(hd_gt4096$d),
        .q(hd_gt4096$q),
        .clock(hd_gt4096$clock)
    );
    bs_accel_p1_serial$hd_gt_sw hd_gt_sw(
        .d(hd_gt_sw$d),
        .q(hd_gt_sw$q),
        .clock(hd_gt_sw$clock)
    );
    bs_accel_p1_serial$hd_gt_vmap hd_gt_vmap(
        .d(hd_gt_vmap$d),
        .q(hd_gt_vmap$q),
        .clock(hd_gt_vmap$clock)
    );
    bs_accel_p1_serial$hd_nz hd_nz(
        .d(hd_nz$d),
        .q(hd_nz$q),
        .clock(hd_nz$clock)
    );
    bs_accel_p1_serial$nzmap nzmap(
        .read_address(nzmap$read_address),
        .read_clock(nzmap$read_clock),
        .read_data(nzmap$read_data),
        .write_address(nzmap$write_address),
        .write_clock(nzmap$write_clock),
        .write_data(nzmap$write_data),
        .write_enable(nzmap$write_enable)
    );
    bs_accel_p1_serial$ev_nz ev_nz(
        .d(ev_nz$d),
        .q(ev_nz$q),
        .clock(ev_nz$clock)
    );
    bs_accel_p1_serial$ev_zm ev_zm(
        .d(ev_zm$d),
        .q(ev_zm$q),
        .clock(ev_zm$clock)
    );
    bs_accel_p1_serial$ev_skip ev_skip(
        .d(ev_skip$d),
        .q(ev_skip$q),
        .clock(ev_skip$clock)
    );
    bs_accel_p1_serial$ev_stall ev_stall(
        .d(ev_stall$d),
        .q(ev_stall$q),
        .clock(ev_stall$clock)
    );
    bs_accel_p1_serial$busy_d1 busy_d1(
        .d(busy_d1$d),
        .q(busy_d1$q),
        .clock(busy_d1$clock)
    );
    bs_accel_p1_serial$busy_d2 busy_d2(
        .d(busy_d2$d),
        .q(busy_d2$q),
        .clock(busy_d2$clock)
    );
    bs_accel_p1_serial$err_fin err_fin(
        .d(err_fin$d),
        .q(err_fin$q),
        .clock(err_fin$clock)
    );
    bs_accel_p1_serial$cycles cycles(
        .d(cycles$d),
        .q(cycles$q),
        .clock(cycles$clock)
    );
    bs_accel_p1_serial$perf_nz perf_nz(
        .d(perf_nz$d),
        .q(perf_nz$q),
        .clock(perf_nz$clock)
    );
    bs_accel_p1_serial$perf_skip perf_skip(
        .d(perf_skip$d),
        .q(perf_skip$q),
        .clock(perf_skip$clock)
    );
    bs_accel_p1_serial$perf_zm perf_zm(
        .d(perf_zm$d),
        .q(perf_zm$q),
        .clock(perf_zm$clock)
    );
    bs_accel_p1_serial$perf_stall perf_stall(
        .d(perf_stall$d),
        .q(perf_stall$q),
        .clock(perf_stall$clock)
    );
    bs_accel_p1_serial$rd1_valid rd1_valid(
        .d(rd1_valid$d),
        .q(rd1_valid$q),
        .clock(rd1_valid$clock)
    );
    bs_accel_p1_serial$rd1_out rd1_out(
        .d(rd1_out$d),
        .q(rd1_out$q),
        .clock(rd1_out$clock)
    );
    bs_accel_p1_serial$rd1_val rd1_val(
        .d(rd1_val$d),
        .q(rd1_val$q),
        .clock(rd1_val$clock)
    );
    bs_accel_p1_serial$rdata rdata(
        .d(rdata$d),
        .q(rdata$q),
        .clock(rdata$clock)
    );
    bs_accel_p1_serial$rvalid rvalid(
        .d(rvalid$d),
        .q(rvalid$q),
        .clock(rvalid$clock)
    );
    bs_accel_p1_serial$wr_e wr_e(
        .d(wr_e$d),
        .q(wr_e$q),
        .clock(wr_e$clock)
    );
    bs_accel_p1_serial$rsel rsel(
        .d(rsel$d),
        .q(rsel$q),
        .clock(rsel$clock)
    );
    bs_accel_p1_serial$h_low h_low(
        .d(h_low$d),
        .q(h_low$q),
        .clock(h_low$clock)
    );
    bs_accel_p1_serial$ltab ltab(
        .read_address(ltab$read_address),
        .read_clock(ltab$read_clock),
        .read_data(ltab$read_data),
        .write_address(ltab$write_address),
        .write_clock(ltab$write_clock),
        .write_data(ltab$write_data),
        .write_enable(ltab$write_enable)
    );
    bs_accel_p1_serial$nlayers nlayers(
        .d(nlayers$d),
        .q(nlayers$q),
        .clock(nlayers$clock)
    );
    bs_accel_p1_serial$nl_bad nl_bad(
        .d(nl_bad$d),
        .q(nl_bad$q),
        .clock(nl_bad$clock)
    );
    bs_accel_p1_serial$hd_nl_bad hd_nl_bad(
        .d(hd_nl_bad$d),
        .q(hd_nl_bad$q),
        .clock(hd_nl_bad$clock)
    );
    bs_accel_p1_serial$w_model w_model(
        .d(w_model$d),
        .q(w_model$q),
        .clock(w_model$clock)
    );
    bs_accel_p1_serial$mrun mrun(
        .d(mrun$d),
        .q(mrun$q),
        .clock(mrun$clock)
    );
    bs_accel_p1_serial$mload mload(
        .d(mload$d),
        .q(mload$q),
        .clock(mload$clock)
    );
    bs_accel_p1_serial$mph mph(
        .d(mph$d),
        .q(mph$q),
        .clock(mph$clock)
    );
    bs_accel_p1_serial$mgo mgo(
        .d(mgo$d),
        .q(mgo$q),
        .clock(mgo$clock)
    );
    bs_accel_p1_serial$mj mj(
        .d(mj$d),
        .q(mj$q),
        .clock(mj$clock)
    );
    bs_accel_p1_serial$mlayer mlayer(
        .d(mlayer$d),
        .q(mlayer$q),
        .clock(mlayer$clock)
    );
    bs_accel_p1_serial$hsel hsel(
        .d(hsel$d),
        .q(hsel$q),
        .clock(hsel$clock)
    );
    bs_accel_p1_serial$mcycles mcycles(
        .d(mcycles$d),
        .q(mcycles$q),
        .clock(mcycles$clock)
    );
    bs_accel_p1_serial$mwb mwb(
        .d(mwb$d),
        .q(mwb$q),
        .clock(mwb$clock)
    );
    bs_accel_p1_serial$mwb_addr mwb_addr(
        .d(mwb_addr$d),
        .q(mwb_addr$q),
        .clock(mwb_addr$clock)
    );
    bs_accel_p1_serial$m_more m_more(
        .d(m_more$d),
        .q(m_more$q),
        .clock(m_more$clock)
    );
    bs_accel_p1_serial$h_table h_table(
        .d(h_table$d),
        .q(h_table$q),
        .clock(h_table$clock)
    );
    bs_accel_p1_serial$rd1_tab rd1_tab(
        .d(rd1_tab$d),
        .q(rd1_tab$q),
        .clock(rd1_tab$clock)
    );
    bs_accel_p1_serial$ld ld(
        .clock(ld$clock),
        .load_start(ld$load_start),
        .word_valid(ld$word_valid),
        .word(ld$word),
        .taken(ld$taken),
        .invalidate(ld$invalidate),
        .wr(ld$wr),
        .wr_addr(ld$wr_addr),
        .wr_data(ld$wr_data),
        .model_id(ld$model_id),
        .status(ld$status),
        .blocked(ld$blocked)
    );
    bs_accel_p1_serial$w_load w_load(
        .d(w_load$d),
        .q(w_load$q),
        .clock(w_load$clock)
    );
    bs_accel_p1_serial$h_ld h_ld(
        .d(h_ld$d),
        .q(h_ld$q),
        .clock(h_ld$clock)
    );
    
    // Update code
    always @(*) begin
        rows$clock = clock;
        cols$clock = clock;
        kq$clock = clock;
        shift$clock = clock;
        relu$clock = clock;
        zskip$clock = clock;
        vmap_len$clock = clock;
        rows_big$clock = clock;
        cols_big$clock = clock;
        k_big$clock = clock;
        shift_big$clock = clock;
        vmap_big$clock = clock;
        stream_base$clock = clock;
        vmap_base$clock = clock;
        bias_base$clock = clock;
        sbase_big$clock = clock;
        vbase_big$clock = clock;
        bbase_big$clock = clock;
        busy$clock = clock;
        done$clock = clock;
        err$clock = clock;
        err_code$clock = clock;
        err_lane$clock = clock;
        err_row$clock = clock;
        err_col$clock = clock;
        arr_start$clock = clock;
        arr_start_d$clock = clock;
        arr_abort$clock = clock;
        start_req$clock = clock;
        start_req2$clock = clock;
        cfg_bad$clock = clock;
        vend_bad$clock = clock;
        bend_bad$clock = clock;
        bad_q$clock = clock;
        h_stream$clock = clock;
        h_vmap$clock = clock;
        h_bias$clock = clock;
        h_act$clock = clock;
        h_out$clock = clock;
        wr_e$clock = clock;
        rsel$clock = clock;
        h_low$clock = clock;
        hd_gt7$clock = clock;
        hd_gt31$clock = clock;
        hd_gt_dim$clock = clock;
        hd_gt4096$clock = clock;
        hd_gt_sw$clock = clock;
        hd_gt_vmap$clock = clock;
        hd_nz$clock = clock;
        ev_nz$clock = clock;
        ev_zm$clock = clock;
        ev_skip$clock = clock;
        ev_stall$clock = clock;
        busy_d1$clock = clock;
        busy_d2$clock = clock;
        err_fin$clock = clock;
        h_addr$clock = clock;
        h_wdata$clock = clock;
        h_read$clock = clock;
        w_reset$clock = clock;
        w_start$clock = clock;
        cycles$clock = clock;
        perf_nz$clock = clock;
        perf_skip$clock = clock;
        perf_zm$clock = clock;
        perf_stall$clock = clock;
        rd1_valid$clock = clock;
        rd1_out$clock = clock;
        rd1_val$clock = clock;
        rdata$clock = clock;
        rvalid$clock = clock;
        nlayers$clock = clock;
        nl_bad$clock = clock;
        hd_nl_bad$clock = clock;
        w_model$clock = clock;
        mrun$clock = clock;
        mload$clock = clock;
        mph$clock = clock;
        mgo$clock = clock;
        mj$clock = clock;
        mlayer$clock = clock;
        hsel$clock = clock;
        mcycles$clock = clock;
        mwb$clock = clock;
        mwb_addr$clock = clock;
        m_more$clock = clock;
        h_table$clock = clock;
        rd1_tab$clock = clock;
        w_load$clock = clock;
        h_ld$clock = clock;
        rows$d = rows$q;
        cols$d = cols$q;
        kq$d = kq$q;
        shift$d = shift$q;
        relu$d = relu$q;
        zskip$d = zskip$q;
        vmap_len$d = vmap_len$q;
        rows_big$d = rows_big$q;
        cols_big$d = cols_big$q;
        k_big$d = k_big$q;
        shift_big$d = shift_big$q;
        vmap_big$d = vmap_big$q;
        stream_base$d = stream_base$q;
        vmap_base$d = vmap_base$q;
        bias_base$d = bias_base$q;
        sbase_big$d = sbase_big$q;
        vbase_big$d = vbase_big$q;
        bbase_big$d = bbase_big$q;
        busy$d = busy$q;
        done$d = done$q;
        err$d = err$q;
        err_code$d = err_code$q;
        err_lane$d = err_lane$q;
        err_row$d = err_row$q;
        err_col$d = err_col$q;
        arr_start$d = arr_start$q;
        arr_start_d$d = arr_start_d$q;
        arr_abort$d = arr_abort$q;
        start_req$d = start_req$q;
        start_req2$d = start_req2$q;
        cfg_bad$d = cfg_bad$q;
        vend_bad$d = vend_bad$q;
        bend_bad$d = bend_bad$q;
        bad_q$d = bad_q$q;
        h_stream$d = h_stream$q;
        h_vmap$d = h_vmap$q;
        h_bias$d = h_bias$q;
        h_act$d = h_act$q;
        h_out$d = h_out$q;
        wr_e$d = wr_e$q;
        rsel$d = rsel$q;
        h_low$d = h_low$q;
        hd_gt7$d = hd_gt7$q;
        hd_gt31$d = hd_gt31$q;
        hd_gt_dim$d = hd_gt_dim$q;
        hd_gt4096$d = hd_gt4096$q;
        hd_gt_sw$d = hd_gt_sw$q;
        hd_gt_vmap$d = hd_gt_vmap$q;
        hd_nz$d = hd_nz$q;
        ev_nz$d = ev_nz$q;
        ev_zm$d = ev_zm$q;
        ev_skip$d = ev_skip$q;
        ev_stall$d = ev_stall$q;
        busy_d1$d = busy_d1$q;
        busy_d2$d = busy_d2$q;
        err_fin$d = err_fin$q;
        h_addr$d = h_addr$q;
        h_wdata$d = h_wdata$q;
        h_read$d = h_read$q;
        w_reset$d = w_reset$q;
        w_start$d = w_start$q;
        cycles$d = cycles$q;
        perf_nz$d = perf_nz$q;
        perf_skip$d = perf_skip$q;
        perf_zm$d = perf_zm$q;
        perf_stall$d = perf_stall$q;
        rd1_valid$d = rd1_valid$q;
        rd1_out$d = rd1_out$q;
        rd1_val$d = rd1_val$q;
        rdata$d = rdata$q;
        rvalid$d = rvalid$q;
        nlayers$d = nlayers$q;
        nl_bad$d = nl_bad$q;
        hd_nl_bad$d = hd_nl_bad$q;
        w_model$d = w_model$q;
        mrun$d = mrun$q;
        mload$d = mload$q;
        mph$d = mph$q;
        mgo$d = mgo$q;
        mj$d = mj$q;
        mlayer$d = mlayer$q;
        hsel$d = hsel$q;
        mcycles$d = mcycles$q;
        mwb$d = mwb$q;
        mwb_addr$d = mwb_addr$q;
        m_more$d = m_more$q;
        h_table$d = h_table$q;
        rd1_tab$d = rd1_tab$q;
        w_load$d = w_load$q;
        h_ld$d = h_ld$q;
        q_seq = ((mload$q & mph$q & (~host_read)) | (mgo$q & (~host_read))) & has_model;
        q_addr = host_addr;
        q_wdata = host_wdata;
        q_write = host_write;
        q_ld = ld$wr & (~host_write) & (~host_read) & has_model;
        if (q_ld) begin
            q_write = 1'b1;
            q_addr = ld$wr_addr;
            q_wdata = ld$wr_data;
        end
        if (q_seq) begin
            q_write = 1'b1;
            if (mgo$q) begin
                q_addr = a_ctrl;
                q_wdata = ctrl_start;
            end
            else begin
                q_addr = a_rows + ((mj$q) & 16'hffff);
                q_wdata = ltab$read_data;
            end
        end
        h_addr$d = q_addr;
        h_wdata$d = q_wdata;
        h_read$d = host_read;
        h_ld$d = q_ld & (~q_seq);
        w_reset$d = q_write & (q_addr == a_ctrl) & (|(q_wdata & ctrl_reset));
        w_start$d = q_write & (q_addr == a_ctrl) & (~(|(q_wdata & ctrl_reset))) & (|(q_wdata & ctrl_start)) & ((~mrun$q) | q_seq);
        w_model$d = q_write & (q_addr == a_ctrl) & (~(|(q_wdata & ctrl_reset))) & (~(|(q_wdata & ctrl_start))) & (|(q_wdata & ctrl_model)) & (~mrun$q) & has_model;
        w_load$d = q_write & (q_addr == a_ctrl) & (~(|(q_wdata & ctrl_reset))) & (~(|(q_wdata & ctrl_start))) & (~(|(q_wdata & ctrl_model))) & (|(q_wdata & ctrl_load)) & (~mrun$q) & has_model;
        hd_gt7$d = (q_wdata & 64'hfffffff8) != 32'h0;
        hd_gt31$d = (q_wdata & 64'hffffffe0) != 32'h0;
        hd_gt_dim$d = ((q_wdata & dim_hi32) != 32'h0) & (q_wdata != dim_n32);
        hd_gt4096$d = ((q_wdata & 64'hfffff000) != 32'h0) & (q_wdata != 32'h1000);
        hd_gt_sw$d = ((q_wdata & 64'hffffc000) != 32'h0) & (q_wdata != 32'h4000);
        hd_nz$d = (q_wdata & 64'hffff) != 32'h0;
        hd_gt_vmap$d = ((q_wdata & vmap_hi32) != 32'h0) & (q_wdata != vmap_entries);
        hd_nl_bad$d = (q_wdata == 32'h0) | (((q_wdata & 64'hfffffff8) != 32'h0) & (q_wdata != 32'h8));
        wr_e$d = q_write & (w_reset$q | ((~busy$q) & (~start_req$q) & (~start_req2$q) & (~err_fin$q) & (~w_start$q) & (~w_model$q) & ((~mrun$q) | q_seq)));
        rsel$d = one64 << q_addr[(32'h0)+:(6)];
        h_low$d = (q_addr & reg_hi) == 32'h0;
        h_stream$d = (q_addr & w_stream_mask) == w_stream;
        h_vmap$d = (q_addr & w_vmap_mask) == w_vmap;
        h_bias$d = (q_addr & w_bias_mask) == w_bias;
        h_act$d = (q_addr & w_act_mask) == w_act;
        h_out$d = (q_addr & w_act_mask) == w_out;
        h_table$d = ((q_addr & w_table_mask) == w_table) & has_model;
        array$clock = clock;
        array$k = kq$q;
        array$zero_skip = zskip$q;
        array$relu = relu$q;
        array$shift = shift$q;
        array$cols = cols$q;
        array$rows = rows$q;
        array$vmap_len = vmap_len$q;
        array$stream_base = stream_base$q;
        array$vmap_base = vmap_base$q;
        array$bias_base = ((bias_base$q) & 11'h7ff);
        array$start = arr_start$q;
        array$abort = arr_abort$q;
        arr_start$d = 1'b0;
        arr_start_d$d = arr_start$q;
        arr_abort$d = 1'b0;
        offs = h_addr$q[(32'h0)+:(14)];
        wr_ok = wr_e$q;
        hw_rows = h_low$q & (|(rsel$q & s_rows));
        hw_cols = h_low$q & (|(rsel$q & s_cols));
        hw_k = h_low$q & (|(rsel$q & s_k));
        hw_shift = h_low$q & (|(rsel$q & s_shift));
        hw_flags = h_low$q & (|(rsel$q & s_flags));
        hw_vlen = h_low$q & (|(rsel$q & s_vlen));
        hw_sbase = h_low$q & (|(rsel$q & s_sbase));
        hw_vbase = h_low$q & (|(rsel$q & s_vbase));
        hw_bbase = h_low$q & (|(rsel$q & s_bbase));
        hw_len = h_low$q & ((h_addr$q & len_mask) == a_len0);
        lane_bit = one8 << ((h_addr$q[(32'h0)+:(15)] >> lane_shift) & 3'h7);
        array$host_waddr = offs;
        array$host_wdata = h_wdata$q;
        array$stream_we = 32'h0;
        if (wr_ok & h_stream$q) begin
            array$stream_we = lane_bit;
        end
        array$len_we = 32'h0;
        if (wr_ok & hw_len) begin
            array$len_we = one8 << h_addr$q[(32'h0)+:(3)];
        end
        array$vmap_we = wr_ok & h_vmap$q;
        nzmap$write_clock = clock;
        nzmap$read_clock = clock;
        nzmap$write_enable = wr_ok & h_vmap$q;
        nzmap$write_address = ((offs) & 8'hff);
        nzmap$write_data = hd_nz$q;
        nzmap$read_address = ((vmap_base$q) & 8'hff);
        array$bias_we = wr_ok & h_bias$q;
        array$act_we = wr_ok & h_act$q;
        if (wr_ok & hw_rows) begin
            rows$d = ((h_wdata$q) & 12'hfff);
            rows_big$d = hd_gt_dim$q;
        end
        if (wr_ok & hw_cols) begin
            cols$d = ((h_wdata$q) & 12'hfff);
            cols_big$d = hd_gt_dim$q;
        end
        if (wr_ok & hw_k) begin
            kq$d = ((h_wdata$q) & 3'h7);
            k_big$d = hd_gt7$q;
        end
        if (wr_ok & hw_shift) begin
            shift$d = ((h_wdata$q) & 5'h1f);
            shift_big$d = hd_gt31$q;
        end
        if (wr_ok & hw_flags) begin
            relu$d = |(h_wdata$q & f_relu);
            zskip$d = |(h_wdata$q & f_zskip);
        end
        if (wr_ok & hw_vlen) begin
            vmap_len$d = ((h_wdata$q) & 13'h1fff);
            vmap_big$d = hd_gt_vmap$q;
        end
        if (wr_ok & hw_sbase) begin
            stream_base$d = ((h_wdata$q) & 15'h7fff);
            sbase_big$d = hd_gt_sw$q;
        end
        if (wr_ok & hw_vbase) begin
            vmap_base$d = ((h_wdata$q) & 13'h1fff);
            vbase_big$d = hd_gt4096$q;
        end
        if (wr_ok & hw_bbase) begin
            bias_base$d = ((h_wdata$q) & 12'hfff);
            bbase_big$d = hd_gt_dim$q;
        end
        hw_nl = h_low$q & (|(rsel$q & s_nl)) & has_model;
        if (wr_ok & hw_nl) begin
            nlayers$d = ((h_wdata$q) & 4'hf);
            nl_bad$d = hd_nl_bad$q;
        end
        ltab$write_clock = clock;
        ltab$read_clock = clock;
        ltab$write_enable = wr_ok & h_table$q;
        ltab$write_address = ((offs) & 8'hff);
        ltab$write_data = h_wdata$q;
        if (mwb$q) begin
            ltab$write_enable = 1'b1;
            ltab$write_address = mwb_addr$q;
            ltab$write_data = cycles$q;
        end
        tword = (((mlayer$q) & 8'hff) << 32'h5) | ((mj$q) & 8'hff);
        ltab$read_address = ((offs) & 8'hff);
        if (mload$q) begin
            ltab$read_address = tword;
        end
        ld$clock = clock;
        ld$load_start = (w_load$q & (~busy$q) & (~start_req$q) & (~start_req2$q) & (~err_fin$q)) | (boot_start & has_model);
        ld$word_valid = (wr_ok & h_low$q & (|(rsel$q & s_load_data)) & has_model) | (boot_valid & has_model);
        ld$word = h_wdata$q;
        if (boot_valid) begin
            ld$word = boot_word;
        end
        ld$taken = q_ld & (~q_seq);
        ld$invalidate = wr_ok & (~h_ld$q) & (h_stream$q | h_vmap$q | h_bias$q | h_table$q | hw_nl) & has_model;
        ld_block = ld$blocked & has_model;
        vmap_end = ((vmap_len$q) & 14'h3fff) + ((vmap_base$q) & 14'h3fff);
        bias_end = ((rows$q) & 13'h1fff) + ((bias_base$q) & 13'h1fff);
        vend_bad$d = ((vmap_end & vmap_hi14) != 32'h0) & (vmap_end != vmap_entries14);
        bend_bad$d = ((bias_end & dim_hi13) != 32'h0) & (bias_end != dim_n13);
        cfg_bad$d = rows_big$q | sbase_big$q | vbase_big$q | bbase_big$q | cols_big$q | k_big$q | shift_big$q | vmap_big$q | (rows$q == 32'h0) | (cols$q == 32'h0) | (vmap_len$q == 32'h0) | (zskip$q & (kq$q != 32'h0));
        bad_q$d = cfg_bad$q | vend_bad$q | bend_bad$q | array$len_bad | (zskip$q & nzmap$read_data);
        ev_nz$d = array$perf_nz;
        ev_zm$d = array$perf_zm;
        ev_skip$d = array$perf_skip;
        ev_stall$d = array$perf_stall;
        busy_d1$d = busy$q & (~w_reset$q);
        busy_d2$d = busy_d1$q & (~w_reset$q);
        if (busy_d2$q) begin
            perf_nz$d = perf_nz$q + ((ev_nz$q) & 32'hffffffff);
            perf_zm$d = perf_zm$q + ((ev_zm$q) & 32'hffffffff);
            perf_skip$d = perf_skip$q + ((ev_skip$q) & 32'hffffffff);
            perf_stall$d = perf_stall$q + ((ev_stall$q) & 32'hffffffff);
        end
        err_fin$d = 1'b0;
        mwb$d = 1'b0;
        m_more$d = (((mlayer$q) & 5'h1f) + 32'h1) < ((nlayers$q) & 5'h1f);
        if (busy$q) begin
            cycles$d = cycles$q + 32'h1;
            if (array$error) begin
                busy$d = 1'b0;
                err_fin$d = 1'b1;
                err_code$d = array$err_code;
                err_lane$d = array$err_lane;
                err_row$d = array$err_row;
                err_col$d = array$err_col;
                arr_abort$d = 1'b1;
            end
            else if ((~arr_start$q) & (~arr_start_d$q) & (~array$busy)) begin
                busy$d = 1'b0;
                if (mrun$q & has_model) begin
                    mwb$d = 1'b1;
                    mwb_addr$d = tword | 64'h1f;
                    if (m_more$q) begin
                        mlayer$d = mlayer$q + 32'h1;
                        hsel$d = ~hsel$q;
                        mload$d = 1'b1;
                        mph$d = 1'b0;
                        mj$d = 32'h0;
                    end
                    else begin
                        done$d = 1'b1;
                        mrun$d = 1'b0;
                    end
                end
                else begin
                    done$d = 1'b1;
                end
            end
        end
        if (err_fin$q) begin
            done$d = 1'b1;
            err$d = 1'b1;
            mrun$d = 1'b0;
        end
        start_req$d = 1'b0;
        start_req2$d = start_req$q;
        if (start_req2$q) begin
            if (bad_q$q | ld_block) begin
                done$d = 1'b1;
                err$d = 1'b1;
                err_code$d = e_bad_config;
                if (ld_block) begin
                    err_code$d = e_bad_image;
                end
                mrun$d = 1'b0;
            end
            else begin
                busy$d = 1'b1;
                arr_start$d = 1'b1;
            end
        end
        if (w_reset$q | w_start$q) begin
            if (w_reset$q) begin
                start_req$d = 1'b0;
                start_req2$d = 1'b0;
                err_fin$d = 1'b0;
                busy$d = 1'b0;
                done$d = 1'b0;
                err$d = 1'b0;
                err_code$d = 32'h0;
                err_lane$d = 32'h0;
                err_row$d = 32'h0;
                err_col$d = 32'h0;
                cycles$d = 32'h0;
                perf_nz$d = 32'h0;
                perf_zm$d = 32'h0;
                perf_skip$d = 32'h0;
                perf_stall$d = 32'h0;
                arr_abort$d = 1'b1;
            end
            else if ((~busy$q) & (~start_req$q) & (~start_req2$q) & (~err_fin$q)) begin
                start_req$d = 1'b1;
                done$d = 1'b0;
                err$d = 1'b0;
                err_code$d = 32'h0;
                err_lane$d = 32'h0;
                err_row$d = 32'h0;
                err_col$d = 32'h0;
                cycles$d = 32'h0;
                if (~mrun$q) begin
                    perf_nz$d = 32'h0;
                    perf_zm$d = 32'h0;
                    perf_skip$d = 32'h0;
                    perf_stall$d = 32'h0;
                end
            end
        end
        if (mrun$q) begin
            mcycles$d = mcycles$q + 32'h1;
        end
        if (mload$q) begin
            if (~mph$q) begin
                mph$d = 1'b1;
            end
            else if (q_seq) begin
                mph$d = 1'b0;
                mj$d = mj$q + 32'h1;
                if (mj$q == replay_last) begin
                    mload$d = 1'b0;
                    mgo$d = 1'b1;
                end
            end
        end
        if (mgo$q & q_seq) begin
            mgo$d = 1'b0;
        end
        if (w_model$q & (~busy$q) & (~start_req$q) & (~start_req2$q) & (~err_fin$q)) begin
            done$d = 1'b0;
            err$d = 1'b0;
            err_code$d = 32'h0;
            err_lane$d = 32'h0;
            err_row$d = 32'h0;
            err_col$d = 32'h0;
            cycles$d = 32'h0;
            mcycles$d = 32'h0;
            mlayer$d = 32'h0;
            perf_nz$d = 32'h0;
            perf_zm$d = 32'h0;
            perf_skip$d = 32'h0;
            perf_stall$d = 32'h0;
            if (nl_bad$q | ld_block) begin
                done$d = 1'b1;
                err$d = 1'b1;
                err_code$d = e_bad_config;
                if (ld_block) begin
                    err_code$d = e_bad_image;
                end
            end
            else begin
                mrun$d = 1'b1;
                mload$d = 1'b1;
                mph$d = 1'b0;
                mj$d = 32'h0;
                hsel$d = 1'b0;
            end
        end
        if (w_reset$q) begin
            mrun$d = 1'b0;
            mload$d = 1'b0;
            mgo$d = 1'b0;
            mph$d = 1'b0;
            hsel$d = 1'b0;
        end
        array$hsel = hsel$q & has_model;
        array$model = has_model;
        stat_busy = busy$q | start_req$q | start_req2$q | err_fin$q | ((mrun$q | w_model$q) & has_model);
        rg0 = 32'h0;
        if (|(rsel$q & s_id)) begin
            rg0 = id_value;
        end
        rg2 = 32'h0;
        if (|(rsel$q & s_status)) begin
            rg2 = ((stat_busy) & 32'hffffffff) | (((done$q) & 32'hffffffff) << 32'h1) | (((err$q) & 32'hffffffff) << 32'h2);
        end
        rg3 = 32'h0;
        if (|(rsel$q & s_error)) begin
            rg3 = ((err_code$q) & 32'hffffffff) | (((err_lane$q) & 32'hffffffff) << 32'h8);
        end
        rg4 = 32'h0;
        if (|(rsel$q & s_error_pos)) begin
            rg4 = (((err_row$q) & 32'hffffffff) << 32'h10) | ((err_col$q) & 32'hffffffff);
        end
        rg5 = 32'h0;
        if (|(rsel$q & s_cycles)) begin
            rg5 = cycles$q;
        end
        rg6 = 32'h0;
        if (|(rsel$q & s_perf_nz)) begin
            rg6 = perf_nz$q;
        end
        rg7 = 32'h0;
        if (|(rsel$q & s_perf_skip)) begin
            rg7 = perf_skip$q;
        end
        rg8 = 32'h0;
        if (|(rsel$q & s_perf_zm)) begin
            rg8 = perf_zm$q;
        end
        rg9 = 32'h0;
        if (|(rsel$q & s_perf_stall)) begin
            rg9 = perf_stall$q;
        end
        rg10 = 32'h0;
        if (|(rsel$q & s_caps)) begin
            rg10 = caps_value;
        end
        rg11 = 32'h0;
        if (|(rsel$q & s_model_id)) begin
            rg11 = model_id;
            if (has_model) begin
                rg11 = ld$model_id;
            end
        end
        rg37 = 32'h0;
        if ((|(rsel$q & s_load_status)) & has_model) begin
            rg37 = ld$status;
        end
        rg12 = 32'h0;
        if (|(rsel$q & s_layer)) begin
            rg12 = ((mlayer$q) & 32'hffffffff);
        end
        rg13 = 32'h0;
        if (|(rsel$q & s_argmax)) begin
            rg13 = ((array$argmax) & 32'hffffffff);
        end
        rg14 = 32'h0;
        if (|(rsel$q & s_mcycles)) begin
            rg14 = mcycles$q;
        end
        rg35 = 32'h0;
        if (|(rsel$q & s_nl)) begin
            rg35 = ((nlayers$q) & 32'hffffffff);
        end
        rg16 = 32'h0;
        if (|(rsel$q & s_rows)) begin
            rg16 = ((rows$q) & 32'hffffffff);
        end
        rg17 = 32'h0;
        if (|(rsel$q & s_cols)) begin
            rg17 = ((cols$q) & 32'hffffffff);
        end
        rg18 = 32'h0;
        if (|(rsel$q & s_k)) begin
            rg18 = ((kq$q) & 32'hffffffff);
        end
        rg19 = 32'h0;
        if (|(rsel$q & s_shift)) begin
            rg19 = ((shift$q) & 32'hffffffff);
        end
        rg20 = 32'h0;
        if (|(rsel$q & s_flags)) begin
            rg20 = ((relu$q) & 32'hffffffff) | (((zskip$q) & 32'hffffffff) << 32'h1);
        end
        rg21 = 32'h0;
        if (|(rsel$q & s_vlen)) begin
            rg21 = ((vmap_len$q) & 32'hffffffff);
        end
        rg32 = 32'h0;
        if (|(rsel$q & s_sbase)) begin
            rg32 = ((stream_base$q) & 32'hffffffff);
        end
        rg33 = 32'h0;
        if (|(rsel$q & s_vbase)) begin
            rg33 = ((vmap_base$q) & 32'hffffffff);
        end
        rg34 = 32'h0;
        if (|(rsel$q & s_bbase)) begin
            rg34 = ((bias_base$q) & 32'hffffffff);
        end
        rmux = rg0 | rg2 | rg3 | rg4 | rg5 | rg6 | rg7 | rg8 | rg9 | rg10 | rg11 | rg12 | rg13 | rg14 | rg16 | rg17 | rg18 | rg19 | rg20 | rg21 | rg32 | rg33 | rg34 | rg35 | rg37;
        array$out_raddr = ((offs) & 11'h7ff);
        rd1_valid$d = h_read$q;
        rd1_val$d = 32'h0;
        if (h_low$q) begin
            rd1_val$d = rmux;
        end
        rd1_out$d = h_out$q;
        rd1_tab$d = h_table$q;
        sext = ((array$out_rdata) & 32'hffffffff);
        if (array$out_rdata[32'h7]) begin
            sext = ((array$out_rdata) & 32'hffffffff) | 64'hffffff00;
        end
        rvalid$d = rd1_valid$q;
        rdata$d = rd1_val$q;
        if (rd1_out$q) begin
            rdata$d = sext;
        end
        if (rd1_tab$q) begin
            rdata$d = ltab$read_data;
        end
        host_rvalid = rvalid$q;
        host_rdata = rdata$q;
        irq = done$q & (~w_start$q) & (~w_reset$q) & (~w_model$q);
    end
    
endmodule // bs_accel_p1_serial


module bs_accel_p1_serial$arr_abort(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$arr_abort


module bs_accel_p1_serial$arr_start(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$arr_start


module bs_accel_p1_serial$arr_start_d(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$arr_start_d


module bs_accel_p1_serial$array(clock,start,abort,k,zero_skip,relu,shift,cols,rows,vmap_len,stream_base,vmap_base,bias_base,stream_we,len_we,vmap_we,act_we,hsel,argmax,model,bias_we,host_waddr,host_wdata,out_raddr,out_rdata,busy,error,err_code,err_lane,err_row,err_col,len_bad,perf_nz,perf_zm,perf_skip,perf_stall);
    
    // Module arguments
    input wire  clock;
    input wire  start;
    input wire  abort;
    input wire  [2:0] k;
    input wire  zero_skip;
    input wire  relu;
    input wire  [4:0] shift;
    input wire  [11:0] cols;
    input wire  [11:0] rows;
    input wire  [12:0] vmap_len;
    input wire  [14:0] stream_base;
    input wire  [12:0] vmap_base;
    input wire  [10:0] bias_base;
    input wire  [7:0] stream_we;
    input wire  [7:0] len_we;
    input wire  vmap_we;
    input wire  act_we;
    input wire  hsel;
    output reg  [10:0] argmax;
    input wire  model;
    input wire  bias_we;
    input wire  [13:0] host_waddr;
    input wire  [31:0] host_wdata;
    input wire  [10:0] out_raddr;
    output reg  [7:0] out_rdata;
    output reg  busy;
    output reg  error;
    output reg  [3:0] err_code;
    output reg  [3:0] err_lane;
    output reg  [15:0] err_row;
    output reg  [10:0] err_col;
    output reg  len_bad;
    output reg  [3:0] perf_nz;
    output reg  [3:0] perf_zm;
    output reg  [7:0] perf_skip;
    output reg  [3:0] perf_stall;
    
    // Constant declarations
    localparam  one32 = 32'h1;
    localparam  amax_key0 = 19'b11111111111;
    localparam  amax_shift = 5'b1011;
    
    // Stub signals
    reg  lanes$0$clock;
    reg  lanes$0$start;
    reg  lanes$0$abort;
    reg  [2:0] lanes$0$k;
    reg  lanes$0$zero_skip;
    reg  [11:0] lanes$0$cols;
    reg  [11:0] lanes$0$rows;
    reg  [12:0] lanes$0$vmap_len;
    reg  [14:0] lanes$0$stream_base;
    reg  [12:0] lanes$0$vmap_base;
    reg  lanes$0$stream_we;
    reg  lanes$0$len_we;
    reg  lanes$0$vmap_we;
    reg  lanes$0$act_we;
    reg  lanes$0$hsel;
    reg  lanes$0$act_wsel;
    reg  [10:0] lanes$0$act_waddr;
    reg  [7:0] lanes$0$act_wdata;
    reg  [13:0] lanes$0$host_waddr;
    reg  [31:0] lanes$0$host_wdata;
    reg  [10:0] lanes$0$bias_base;
    reg  lanes$0$grant;
    reg  [7:0] lanes$0$pend_in;
    wire  [7:0] lanes$0$pend_out;
    reg  [31:0] lanes$0$res_acc_in;
    reg  [10:0] lanes$0$res_row_in;
    reg  [10:0] lanes$0$res_brow_in;
    wire  [31:0] lanes$0$res_acc_out;
    wire  [10:0] lanes$0$res_row_out;
    wire  [10:0] lanes$0$res_brow_out;
    reg  lanes$0$busy_in;
    wire  lanes$0$busy_out;
    reg  lanes$0$err_in;
    reg  [3:0] lanes$0$err_code_in;
    reg  [3:0] lanes$0$err_lane_in;
    reg  [15:0] lanes$0$err_row_in;
    reg  [10:0] lanes$0$err_col_in;
    wire  lanes$0$err_out;
    wire  [3:0] lanes$0$err_code_out;
    wire  [3:0] lanes$0$err_lane_out;
    wire  [15:0] lanes$0$err_row_out;
    wire  [10:0] lanes$0$err_col_out;
    reg  lanes$0$len_bad_in;
    wire  lanes$0$len_bad_out;
    reg  [3:0] lanes$0$nz_in;
    wire  [3:0] lanes$0$nz_out;
    reg  [3:0] lanes$0$zm_in;
    wire  [3:0] lanes$0$zm_out;
    reg  [7:0] lanes$0$skip_in;
    wire  [7:0] lanes$0$skip_out;
    reg  [3:0] lanes$0$stall_in;
    wire  [3:0] lanes$0$stall_out;
    reg  [7:0] bias$read_address;
    reg  bias$read_clock;
    wire  [31:0] bias$read_data;
    reg  [7:0] bias$write_address;
    reg  bias$write_clock;
    reg  [31:0] bias$write_data;
    reg  bias$write_enable;
    reg  [7:0] outm$read_address;
    reg  outm$read_clock;
    wire  [7:0] outm$read_data;
    reg  [7:0] outm$write_address;
    reg  outm$write_clock;
    reg  [7:0] outm$write_data;
    reg  outm$write_enable;
    reg  [7:0] gsel$d;
    wire  [7:0] gsel$q;
    reg  gsel$clock;
    reg  busy_q$d;
    wire  busy_q$q;
    reg  busy_q$clock;
    reg  r1_valid$d;
    wire  r1_valid$q;
    reg  r1_valid$clock;
    reg  [31:0] r1_acc$d;
    wire  [31:0] r1_acc$q;
    reg  r1_acc$clock;
    reg  [10:0] r1_row$d;
    wire  [10:0] r1_row$q;
    reg  r1_row$clock;
    reg  r2_valid$d;
    wire  r2_valid$q;
    reg  r2_valid$clock;
    reg  [31:0] r2_sum$d;
    wire  [31:0] r2_sum$q;
    reg  r2_sum$clock;
    reg  [10:0] r2_row$d;
    wire  [10:0] r2_row$q;
    reg  r2_row$clock;
    reg  r3_valid$d;
    wire  r3_valid$q;
    reg  r3_valid$clock;
    reg  [31:0] r3_rnd$d;
    wire  [31:0] r3_rnd$q;
    reg  r3_rnd$clock;
    reg  [10:0] r3_row$d;
    wire  [10:0] r3_row$q;
    reg  r3_row$clock;
    reg  r4_valid$d;
    wire  r4_valid$q;
    reg  r4_valid$clock;
    reg  [14:0] r4_lo$d;
    wire  [14:0] r4_lo$q;
    reg  r4_lo$clock;
    reg  r4_sg$d;
    wire  r4_sg$q;
    reg  r4_sg$clock;
    reg  r4_ok$d;
    wire  r4_ok$q;
    reg  r4_ok$clock;
    reg  [10:0] r4_row$d;
    wire  [10:0] r4_row$q;
    reg  r4_row$clock;
    reg  r5_valid$d;
    wire  r5_valid$q;
    reg  r5_valid$clock;
    reg  [7:0] r5_y$d;
    wire  [7:0] r5_y$q;
    reg  r5_y$clock;
    reg  r5_sg$d;
    wire  r5_sg$q;
    reg  r5_sg$clock;
    reg  r5_fit$d;
    wire  r5_fit$q;
    reg  r5_fit$clock;
    reg  [10:0] r5_row$d;
    wire  [10:0] r5_row$q;
    reg  r5_row$clock;
    reg  r6_valid$d;
    wire  r6_valid$q;
    reg  r6_valid$clock;
    reg  [7:0] r6_y$d;
    wire  [7:0] r6_y$q;
    reg  r6_y$clock;
    reg  [10:0] r6_row$d;
    wire  [10:0] r6_row$q;
    reg  r6_row$clock;
    reg  [31:0] half_q$d;
    wire  [31:0] half_q$q;
    reg  half_q$clock;
    reg  [18:0] amax_key$d;
    wire  [18:0] amax_key$q;
    reg  amax_key$clock;
    reg  [10:0] amax_row$d;
    wire  [10:0] amax_row$q;
    reg  amax_row$clock;
    reg  [18:0] a7_key$d;
    wire  [18:0] a7_key$q;
    reg  a7_key$clock;
    reg  [10:0] a7_row$d;
    wire  [10:0] a7_row$q;
    reg  a7_row$clock;
    reg  a7_valid$d;
    wire  a7_valid$q;
    reg  a7_valid$clock;
    
    // Local signals
    reg  [7:0] cand;
    reg  [4:0] shm1;
    reg  [31:0] u3;
    reg  [14:0] u4;
    reg  [7:0] ysat;
    reg  [10:0] brow;
    reg  [10:0] r6_nrow;
    
    // Sub module instances
    bs_accel_p1_serial$array$lanes$0 lanes$0(
        .clock(lanes$0$clock),
        .start(lanes$0$start),
        .abort(lanes$0$abort),
        .k(lanes$0$k),
        .zero_skip(lanes$0$zero_skip),
        .cols(lanes$0$cols),
        .rows(lanes$0$rows),
        .vmap_len(lanes$0$vmap_len),
        .stream_base(lanes$0$stream_base),
        .vmap_base(lanes$0$vmap_base),
        .stream_we(lanes$0$stream_we),
        .len_we(lanes$0$len_we),
        .vmap_we(lanes$0$vmap_we),
        .act_we(lanes$0$act_we),
        .hsel(lanes$0$hsel),
        .act_wsel(lanes$0$act_wsel),
        .act_waddr(lanes$0$act_waddr),
        .act_wdata(lanes$0$act_wdata),
        .host_waddr(lanes$0$host_waddr),
        .host_wdata(lanes$0$host_wdata),
        .bias_base(lanes$0$bias_base),
        .grant(lanes$0$grant),
        .pend_in(lanes$0$pend_in),
        .pend_out(lanes$0$pend_out),
        .res_acc_in(lanes$0$res_acc_in),
        .res_row_in(lanes$0$res_row_in),
        .res_brow_in(lanes$0$res_brow_in),
        .res_acc_out(lanes$0$res_acc_out),
        .res_row_out(lanes$0$res_row_out),
        .res_brow_out(lanes$0$res_brow_out),
        .busy_in(lanes$0$busy_in),
        .busy_out(lanes$0$busy_out),
        .err_in(lanes$0$err_in),
        .err_code_in(lanes$0$err_code_in),
        .err_lane_in(lanes$0$err_lane_in),
        .err_row_in(lanes$0$err_row_in),
        .err_col_in(lanes$0$err_col_in),
        .err_out(lanes$0$err_out),
        .err_code_out(lanes$0$err_code_out),
        .err_lane_out(lanes$0$err_lane_out),
        .err_row_out(lanes$0$err_row_out),
        .err_col_out(lanes$0$err_col_out),
        .len_bad_in(lanes$0$len_bad_in),
        .len_bad_out(lanes$0$len_bad_out),
        .nz_in(lanes$0$nz_in),
        .nz_out(lanes$0$nz_out),
        .zm_in(lanes$0$zm_in),
        .zm_out(lanes$0$zm_out),
        .skip_in(lanes$0$skip_in),
        .skip_out(lanes$0$skip_out),
        .stall_in(lanes$0$stall_in),
        .stall_out(lanes$0$stall_out)
    );
    bs_accel_p1_serial$array$bias bias(
        .read_address(bias$read_address),
        .read_clock(bias$read_clock),
        .read_data(bias$read_data),
        .write_address(bias$write_address),
        .write_clock(bias$write_clock),
        .write_data(bias$write_data),
        .write_enable(bias$write_enable)
    );
    bs_accel_p1_serial$array$outm outm(
        .read_address(outm$read_address),
        .read_clock(outm$read_clock),
        .read_data(outm$read_data),
        .write_address(outm$write_address),
        .write_clock(outm$write_clock),
        .write_data(outm$write_data),
        .write_enable(outm$write_enable)
    );
    bs_accel_p1_serial$array$gsel gsel(
        .d(gsel$d),
        .q(gsel$q),
        .clock(gsel$clock)
    );
    bs_accel_p1_serial$array$busy_q busy_q(
        .d(busy_q$d),
        .q(busy_q$q),
        .clock(busy_q$clock)
    );
    bs_accel_p1_serial$array$r1_valid r1_valid(
        .d(r1_valid$d),
        .q(r1_valid$q),
        .clock(r1_valid$clock)
    );
    bs_accel_p1_serial$array$r1_acc r1_acc(
        .d(r1_acc$d),
        .q(r1_acc$q),
        .clock(r1_acc$clock)
    );
    bs_accel_p1_serial$array$r1_row r1_row(
        .d(r1_row$d),
        .q(r1_row$q),
        .clock(r1_row$clock)
    );
    bs_accel_p1_serial$array$r2_valid r2_valid(
        .d(r2_valid$d),
        .q(r2_valid$q),
        .clock(r2_valid$clock)
    );
    bs_accel_p1_serial$array$r2_sum r2_sum(
        .d(r2_sum$d),
        .q(r2_sum$q),
        .clock(r2_sum$clock)
    );
    bs_accel_p1_serial$array$r2_row r2_row(
        .d(r2_row$d),
        .q(r2_row$q),
        .clock(r2_row$clock)
    );
    bs_accel_p1_serial$array$r3_valid r3_valid(
        .d(r3_valid$d),
        .q(r3_valid$q),
        .clock(r3_valid$clock)
    );
    bs_accel_p1_serial$array$r3_rnd r3_rnd(
        .d(r3_rnd$d),
        .q(r3_rnd$q),
        .clock(r3_rnd$clock)
    );
    bs_accel_p1_serial$array$r3_row r3_row(
        .d(r3_row$d),
        .q(r3_row$q),
        .clock(r3_row$clock)
    );
    bs_accel_p1_serial$array$r4_valid r4_valid(
        .d(r4_valid$d),
        .q(r4_valid$q),
        .clock(r4_valid$clock)
    );
    bs_accel_p1_serial$array$r4_lo r4_lo(
        .d(r4_lo$d),
        .q(r4_lo$q),
        .clock(r4_lo$clock)
    );
    bs_accel_p1_serial$array$r4_sg r4_sg(
        .d(r4_sg$d),
        .q(r4_sg$q),
        .clock(r4_sg$clock)
    );
    bs_accel_p1_serial$array$r4_ok r4_ok(
        .d(r4_ok$d),
        .q(r4_ok$q),
        .clock(r4_ok$clock)
    );
    bs_accel_p1_serial$array$r4_row r4_row(
        .d(r4_row$d),
        .q(r4_row$q),
        .clock(r4_row$clock)
    );
    bs_accel_p1_serial$array$r5_valid r5_valid(
        .d(r5_valid$d),
        .q(r5_valid$q),
        .clock(r5_valid$clock)
    );
    bs_accel_p1_serial$array$r5_y r5_y(
        .d(r5_y$d),
        .q(r5_y$q),
        .clock(r5_y$clock)
    );
    bs_accel_p1_serial$array$r5_sg r5_sg(
        .d(r5_sg$d),
        .q(r5_sg$q),
        .clock(r5_sg$clock)
    );
    bs_accel_p1_serial$array$r5_fit r5_fit(
        .d(r5_fit$d),
        .q(r5_fit$q),
        .clock(r5_fit$clock)
    );
    bs_accel_p1_serial$array$r5_row r5_row(
        .d(r5_row$d),
        .q(r5_row$q),
        .clock(r5_row$clock)
    );
    bs_accel_p1_serial$array$r6_valid r6_valid(
        .d(r6_valid$d),
        .q(r6_valid$q),
        .clock(r6_valid$clock)
    );
    bs_accel_p1_serial$array$r6_y r6_y(
        .d(r6_y$d),
        .q(r6_y$q),
        .clock(r6_y$clock)
    );
    bs_accel_p1_serial$array$r6_row r6_row(
        .d(r6_row$d),
        .q(r6_row$q),
        .clock(r6_row$clock)
    );
    bs_accel_p1_serial$array$half_q half_q(
        .d(half_q$d),
        .q(half_q$q),
        .clock(half_q$clock)
    );
    bs_accel_p1_serial$array$amax_key amax_key(
        .d(amax_key$d),
        .q(amax_key$q),
        .clock(amax_key$clock)
    );
    bs_accel_p1_serial$array$amax_row amax_row(
        .d(amax_row$d),
        .q(amax_row$q),
        .clock(amax_row$clock)
    );
    bs_accel_p1_serial$array$a7_key a7_key(
        .d(a7_key$d),
        .q(a7_key$q),
        .clock(a7_key$clock)
    );
    bs_accel_p1_serial$array$a7_row a7_row(
        .d(a7_row$d),
        .q(a7_row$q),
        .clock(a7_row$clock)
    );
    bs_accel_p1_serial$array$a7_valid a7_valid(
        .d(a7_valid$d),
        .q(a7_valid$q),
        .clock(a7_valid$clock)
    );
    
    // Update code
    always @(*) begin
        gsel$clock = clock;
        busy_q$clock = clock;
        r1_valid$clock = clock;
        r1_acc$clock = clock;
        r1_row$clock = clock;
        r2_valid$clock = clock;
        r2_sum$clock = clock;
        r2_row$clock = clock;
        r3_valid$clock = clock;
        r3_rnd$clock = clock;
        r3_row$clock = clock;
        r4_valid$clock = clock;
        r4_lo$clock = clock;
        r4_sg$clock = clock;
        r4_ok$clock = clock;
        r4_row$clock = clock;
        r5_valid$clock = clock;
        r5_y$clock = clock;
        r5_sg$clock = clock;
        r5_fit$clock = clock;
        r5_row$clock = clock;
        r6_valid$clock = clock;
        r6_y$clock = clock;
        r6_row$clock = clock;
        half_q$clock = clock;
        amax_key$clock = clock;
        amax_row$clock = clock;
        a7_key$clock = clock;
        a7_row$clock = clock;
        a7_valid$clock = clock;
        gsel$d = gsel$q;
        busy_q$d = busy_q$q;
        r1_valid$d = r1_valid$q;
        r1_acc$d = r1_acc$q;
        r1_row$d = r1_row$q;
        r2_valid$d = r2_valid$q;
        r2_sum$d = r2_sum$q;
        r2_row$d = r2_row$q;
        r3_valid$d = r3_valid$q;
        r3_rnd$d = r3_rnd$q;
        r3_row$d = r3_row$q;
        r4_valid$d = r4_valid$q;
        r4_lo$d = r4_lo$q;
        r4_sg$d = r4_sg$q;
        r4_ok$d = r4_ok$q;
        r4_row$d = r4_row$q;
        r5_valid$d = r5_valid$q;
        r5_y$d = r5_y$q;
        r5_sg$d = r5_sg$q;
        r5_fit$d = r5_fit$q;
        r5_row$d = r5_row$q;
        r6_valid$d = r6_valid$q;
        r6_y$d = r6_y$q;
        r6_row$d = r6_row$q;
        half_q$d = half_q$q;
        amax_key$d = amax_key$q;
        amax_row$d = amax_row$q;
        a7_key$d = a7_key$q;
        a7_row$d = a7_row$q;
        a7_valid$d = a7_valid$q;
        bias$read_clock = clock;
        bias$write_clock = clock;
        outm$read_clock = clock;
        outm$write_clock = clock;
        lanes$0$clock = clock;
        lanes$0$start = start;
        lanes$0$abort = abort;
        lanes$0$k = k;
        lanes$0$zero_skip = zero_skip;
        lanes$0$cols = cols;
        lanes$0$rows = rows;
        lanes$0$vmap_len = vmap_len;
        lanes$0$stream_base = stream_base;
        lanes$0$vmap_base = vmap_base;
        lanes$0$bias_base = bias_base;
        lanes$0$grant = gsel$q[0];
        lanes$0$stream_we = stream_we[0];
        lanes$0$len_we = len_we[0];
        lanes$0$vmap_we = vmap_we;
        lanes$0$act_we = act_we;
        lanes$0$hsel = hsel;
        lanes$0$act_wsel = r6_valid$q & model;
        lanes$0$act_waddr = r6_row$q;
        lanes$0$act_wdata = r6_y$q;
        lanes$0$host_waddr = host_waddr;
        lanes$0$host_wdata = host_wdata;
        lanes$0$pend_in = 32'h0;
        lanes$0$res_acc_in = 32'h0;
        lanes$0$res_row_in = 32'h0;
        lanes$0$res_brow_in = 32'h0;
        lanes$0$busy_in = 1'b0;
        lanes$0$err_in = 1'b0;
        lanes$0$err_code_in = 32'h0;
        lanes$0$err_lane_in = 32'h0;
        lanes$0$err_row_in = 32'h0;
        lanes$0$err_col_in = 32'h0;
        lanes$0$len_bad_in = 1'b0;
        lanes$0$nz_in = 32'h0;
        lanes$0$zm_in = 32'h0;
        lanes$0$skip_in = 32'h0;
        lanes$0$stall_in = 32'h0;
        error = lanes$0$err_out;
        err_code = lanes$0$err_code_out;
        err_lane = lanes$0$err_lane_out;
        err_row = lanes$0$err_row_out;
        err_col = lanes$0$err_col_out;
        len_bad = lanes$0$len_bad_out;
        perf_nz = lanes$0$nz_out;
        perf_zm = lanes$0$zm_out;
        perf_skip = lanes$0$skip_out;
        perf_stall = lanes$0$stall_out;
        cand = lanes$0$pend_out & (~gsel$q);
        gsel$d = cand & ((~cand) + 32'h1);
        r1_valid$d = gsel$q != 32'h0;
        r1_acc$d = lanes$0$res_acc_out;
        r1_row$d = lanes$0$res_row_out;
        brow = lanes$0$res_brow_out;
        bias$read_address = ((brow) & 8'hff);
        bias$write_enable = bias_we;
        bias$write_address = ((host_waddr) & 8'hff);
        bias$write_data = host_wdata;
        shm1 = shift - 32'h1;
        half_q$d = 32'h0;
        if (shift != 32'h0) begin
            half_q$d = one32 << shm1;
        end
        r2_valid$d = r1_valid$q;
        r2_sum$d = r1_acc$q + bias$read_data;
        r2_row$d = r1_row$q;
        r3_valid$d = r2_valid$q;
        r3_rnd$d = r2_sum$q + half_q$q;
        r3_row$d = r2_row$q;
        u3 = r3_rnd$q;
        if (r3_rnd$q[32'h1f]) begin
            u3 = ~r3_rnd$q;
        end
        r4_valid$d = r3_valid$q;
        r4_sg$d = r3_rnd$q[32'h1f];
        r4_row$d = r3_row$q;
        if (shift[32'h4]) begin
            r4_ok$d = 1'b1;
            if (shift[32'h3]) begin
                r4_lo$d = ((r3_rnd$q[(32'h18)+:(8)]) & 15'h7fff);
                if (r3_rnd$q[32'h1f]) begin
                    r4_lo$d = ((r3_rnd$q[(32'h18)+:(8)]) & 15'h7fff) | 64'h7f00;
                end
            end
            else begin
                r4_lo$d = r3_rnd$q[(32'h10)+:(15)];
            end
        end
        else if (shift[32'h3]) begin
            r4_ok$d = u3[(32'h17)+:(8)] == 32'h0;
            r4_lo$d = r3_rnd$q[(32'h8)+:(15)];
        end
        else begin
            r4_ok$d = u3[(32'hf)+:(16)] == 32'h0;
            r4_lo$d = r3_rnd$q[(32'h0)+:(15)];
        end
        u4 = r4_lo$q;
        if (r4_sg$q) begin
            u4 = ~r4_lo$q;
        end
        r5_valid$d = r4_valid$q;
        r5_y$d = ((r4_lo$q >> (shift & 64'h7)) & 8'hff);
        r5_sg$d = r4_sg$q;
        r5_fit$d = r4_ok$q & ((u4[(32'h7)+:(8)] >> (shift & 64'h7)) == 32'h0);
        r5_row$d = r4_row$q;
        ysat = r5_y$q;
        if (relu & r5_sg$q) begin
            ysat = 32'h0;
        end
        else if (~r5_fit$q) begin
            ysat = 32'h7f;
            if (r5_sg$q) begin
                ysat = 32'h80;
            end
        end
        r6_valid$d = r5_valid$q;
        r6_y$d = ysat;
        r6_row$d = r5_row$q;
        outm$write_enable = r6_valid$q;
        outm$write_address = ((r6_row$q) & 8'hff);
        outm$write_data = r6_y$q;
        outm$read_address = ((out_raddr) & 8'hff);
        out_rdata = outm$read_data;
        r6_nrow = ~r6_row$q;
        a7_key$d = (((r6_y$q ^ 64'h80) & 19'h7ffff) << amax_shift) | ((r6_nrow) & 19'h7ffff);
        a7_row$d = r6_row$q;
        a7_valid$d = r6_valid$q & model;
        if (a7_valid$q & (a7_key$q > amax_key$q)) begin
            amax_key$d = a7_key$q;
            amax_row$d = a7_row$q;
        end
        argmax = amax_row$q;
        if (start | abort) begin
            amax_key$d = amax_key0;
            amax_row$d = 32'h0;
            a7_valid$d = 1'b0;
            gsel$d = 32'h0;
            r1_valid$d = 1'b0;
            r2_valid$d = 1'b0;
            r3_valid$d = 1'b0;
            r4_valid$d = 1'b0;
            r5_valid$d = 1'b0;
            r6_valid$d = 1'b0;
        end
        busy = busy_q$q;
        busy_q$d = lanes$0$busy_out | r1_valid$q | r2_valid$q | r3_valid$q | r4_valid$q | r5_valid$q | r6_valid$q;
    end
    
endmodule // bs_accel_p1_serial$array


module bs_accel_p1_serial$array$a7_key(d,q,clock);
    
    // Module arguments
    input wire  [18:0] d;
    output reg  [18:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 19'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$a7_key


module bs_accel_p1_serial$array$a7_row(d,q,clock);
    
    // Module arguments
    input wire  [10:0] d;
    output reg  [10:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 11'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$a7_row


module bs_accel_p1_serial$array$a7_valid(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$a7_valid


module bs_accel_p1_serial$array$amax_key(d,q,clock);
    
    // Module arguments
    input wire  [18:0] d;
    output reg  [18:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 19'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$amax_key


module bs_accel_p1_serial$array$amax_row(d,q,clock);
    
    // Module arguments
    input wire  [10:0] d;
    output reg  [10:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 11'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$amax_row


module bs_accel_p1_serial$array$bias(read_address,read_clock,read_data,write_address,write_clock,write_data,write_enable);
    
    // Module arguments
    input wire  [7:0] read_address;
    input wire  read_clock;
    output reg  [31:0] read_data;
    input wire  [7:0] write_address;
    input wire  write_clock;
    input wire  [31:0] write_data;
    input wire  write_enable;
    
    // Update code (custom)
    (* no_rw_check *) reg [31:0] mem [255:0];
    
    always @(posedge read_clock) begin
       read_data <= mem[read_address];
    end
    
    always @(posedge write_clock) begin
       if (write_enable) begin
          mem[write_address] <= write_data;
       end
    end
endmodule // bs_accel_p1_serial$array$bias


module bs_accel_p1_serial$array$busy_q(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$busy_q


module bs_accel_p1_serial$array$gsel(d,q,clock);
    
    // Module arguments
    input wire  [7:0] d;
    output reg  [7:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 8'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$gsel


module bs_accel_p1_serial$array$half_q(d,q,clock);
    
    // Module arguments
    input wire  [31:0] d;
    output reg  [31:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 32'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$half_q


module bs_accel_p1_serial$array$lanes$0(clock,start,abort,k,zero_skip,cols,rows,vmap_len,stream_base,vmap_base,stream_we,len_we,vmap_we,act_we,hsel,act_wsel,act_waddr,act_wdata,host_waddr,host_wdata,bias_base,grant,pend_in,pend_out,res_acc_in,res_row_in,res_brow_in,res_acc_out,res_row_out,res_brow_out,busy_in,busy_out,err_in,err_code_in,err_lane_in,err_row_in,err_col_in,err_out,err_code_out,err_lane_out,err_row_out,err_col_out,len_bad_in,len_bad_out,nz_in,nz_out,zm_in,zm_out,skip_in,skip_out,stall_in,stall_out);
    
    // Module arguments
    input wire  clock;
    input wire  start;
    input wire  abort;
    input wire  [2:0] k;
    input wire  zero_skip;
    input wire  [11:0] cols;
    input wire  [11:0] rows;
    input wire  [12:0] vmap_len;
    input wire  [14:0] stream_base;
    input wire  [12:0] vmap_base;
    input wire  stream_we;
    input wire  len_we;
    input wire  vmap_we;
    input wire  act_we;
    input wire  hsel;
    input wire  act_wsel;
    input wire  [10:0] act_waddr;
    input wire  [7:0] act_wdata;
    input wire  [13:0] host_waddr;
    input wire  [31:0] host_wdata;
    input wire  [10:0] bias_base;
    input wire  grant;
    input wire  [7:0] pend_in;
    output reg  [7:0] pend_out;
    input wire  [31:0] res_acc_in;
    input wire  [10:0] res_row_in;
    input wire  [10:0] res_brow_in;
    output reg  [31:0] res_acc_out;
    output reg  [10:0] res_row_out;
    output reg  [10:0] res_brow_out;
    input wire  busy_in;
    output reg  busy_out;
    input wire  err_in;
    input wire  [3:0] err_code_in;
    input wire  [3:0] err_lane_in;
    input wire  [15:0] err_row_in;
    input wire  [10:0] err_col_in;
    output reg  err_out;
    output reg  [3:0] err_code_out;
    output reg  [3:0] err_lane_out;
    output reg  [15:0] err_row_out;
    output reg  [10:0] err_col_out;
    input wire  len_bad_in;
    output reg  len_bad_out;
    input wire  [3:0] nz_in;
    output reg  [3:0] nz_out;
    input wire  [3:0] zm_in;
    output reg  [3:0] zm_out;
    input wire  [7:0] skip_in;
    output reg  [7:0] skip_out;
    input wire  [3:0] stall_in;
    output reg  [3:0] stall_out;
    
    // Constant declarations
    localparam  spram = 1'b0;
    localparam  half_bit = 9'b100000000;
    localparam  lane_id = 4'h0;
    localparam  rows_pad = 12'h0;
    localparam  lanes_log2 = 4'h0;
    localparam  lanes_n = 11'b1;
    localparam  len_pad = 17'b1111110111111111;
    localparam  stream_hi32 = 32'hfffffe00;
    localparam  stream_words32 = 32'h200;
    localparam  lane_bit8 = 8'h1;
    
    // Stub signals
    reg  decoder$clock;
    reg  decoder$io$start;
    reg  decoder$io$abort;
    reg  decoder$io$enable;
    reg  [2:0] decoder$io$k;
    reg  decoder$io$zero_skip;
    reg  [11:0] decoder$io$cols;
    reg  [11:0] decoder$io$rows;
    reg  [14:0] decoder$io$stream_len;
    reg  [12:0] decoder$io$vmap_len;
    wire  [13:0] decoder$io$mem_addr;
    reg  [31:0] decoder$io$mem_data;
    wire  decoder$io$out_valid;
    wire  [15:0] decoder$io$out_index;
    wire  [10:0] decoder$io$out_col;
    wire  decoder$io$out_last;
    wire  [3:0] decoder$io$out_skip;
    wire  decoder$io$busy;
    wire  decoder$io$error;
    wire  [3:0] decoder$io$err_code;
    wire  [10:0] decoder$io$err_row;
    wire  [10:0] decoder$io$err_col;
    reg  [8:0] stream$read_address;
    reg  stream$read_clock;
    wire  [31:0] stream$read_data;
    reg  [8:0] stream$write_address;
    reg  stream$write_clock;
    reg  [31:0] stream$write_data;
    reg  stream$write_enable;
    reg  stream_sp$clock;
    reg  [8:0] stream_sp$address;
    reg  [31:0] stream_sp$write_data;
    reg  stream_sp$write_enable;
    wire  [31:0] stream_sp$read_data;
    reg  vmap$clock;
    reg  [7:0] vmap$read_index;
    wire  [15:0] vmap$weight;
    reg  vmap$write_enable;
    reg  [7:0] vmap$write_index;
    reg  [15:0] vmap$write_weight;
    reg  [8:0] act$read_address;
    reg  act$read_clock;
    wire  [7:0] act$read_data;
    reg  [8:0] act$write_address;
    reg  act$write_clock;
    reg  [7:0] act$write_data;
    reg  act$write_enable;
    reg  [16:0] len_p$d;
    wire  [16:0] len_p$q;
    reg  len_p$clock;
    reg  [14:0] len$d;
    wire  [14:0] len$q;
    reg  len$clock;
    reg  len_bad$d;
    wire  len_bad$q;
    reg  len_bad$clock;
    reg  m1_valid$d;
    wire  m1_valid$q;
    reg  m1_valid$clock;
    reg  m1_last$d;
    wire  m1_last$q;
    reg  m1_last$clock;
    reg  [7:0] m1_idx$d;
    wire  [7:0] m1_idx$q;
    reg  m1_idx$clock;
    reg  [10:0] m1_col$d;
    wire  [10:0] m1_col$q;
    reg  m1_col$clock;
    reg  m2_valid$d;
    wire  m2_valid$q;
    reg  m2_valid$clock;
    reg  m2_last$d;
    wire  m2_last$q;
    reg  m2_last$clock;
    reg  m2_nz$d;
    wire  m2_nz$q;
    reg  m2_nz$clock;
    reg  m3_valid$d;
    wire  m3_valid$q;
    reg  m3_valid$clock;
    reg  m3_last$d;
    wire  m3_last$q;
    reg  m3_last$clock;
    reg  m3_nz$d;
    wire  m3_nz$q;
    reg  m3_nz$clock;
    reg  [15:0] acc_lo$d;
    wire  [15:0] acc_lo$q;
    reg  acc_lo$clock;
    reg  [15:0] acc_hi$d;
    wire  [15:0] acc_hi$q;
    reg  acc_hi$clock;
    reg  cy$d;
    wire  cy$q;
    reg  cy$clock;
    reg  [15:0] ph$d;
    wire  [15:0] ph$q;
    reg  ph$clock;
    reg  [15:0] res_lo$d;
    wire  [15:0] res_lo$q;
    reg  res_lo$clock;
    reg  flush$d;
    wire  flush$q;
    reg  flush$clock;
    reg  pending$d;
    wire  pending$q;
    reg  pending$clock;
    reg  [31:0] res_acc$d;
    wire  [31:0] res_acc$q;
    reg  res_acc$clock;
    reg  [10:0] res_row$d;
    wire  [10:0] res_row$q;
    reg  res_row$clock;
    reg  [10:0] res_brow$d;
    wire  [10:0] res_brow$q;
    reg  res_brow$clock;
    reg  [10:0] row_g$d;
    wire  [10:0] row_g$q;
    reg  row_g$clock;
    reg  lb_q$d;
    wire  lb_q$q;
    reg  lb_q$clock;
    reg  stall_r$d;
    wire  stall_r$q;
    reg  stall_r$clock;
    reg  mul$clock;
    reg  mul$enable;
    reg  [15:0] mul$a;
    reg  [7:0] mul$b;
    wire  [31:0] mul$p;
    reg  nz_me$d;
    wire  nz_me$q;
    reg  nz_me$clock;
    reg  zm_me$d;
    wire  zm_me$q;
    reg  zm_me$clock;
    reg  [3:0] skip_me$d;
    wire  [3:0] skip_me$q;
    reg  skip_me$clock;
    reg  stall_me$d;
    wire  stall_me$q;
    reg  stall_me$clock;
    
    // Local signals
    reg  [8:0] act_ra;
    reg  [16:0] len_end;
    reg  [7:0] vidx;
    reg  [11:0] rows_sum;
    reg  en;
    reg  stall;
    reg  [15:0] wv;
    reg  [16:0] sum_lo;
    reg  [16:0] hi17;
    reg  [15:0] hi_sum;
    reg  my_busy;
    reg  m3_end;
    
    // Sub module instances
    bs_accel_p1_serial$array$lanes$0$decoder decoder(
        .clock(decoder$clock),
        .io$start(decoder$io$start),
        .io$abort(decoder$io$abort),
        .io$enable(decoder$io$enable),
        .io$k(decoder$io$k),
        .io$zero_skip(decoder$io$zero_skip),
        .io$cols(decoder$io$cols),
        .io$rows(decoder$io$rows),
        .io$stream_len(decoder$io$stream_len),
        .io$vmap_len(decoder$io$vmap_len),
        .io$mem_addr(decoder$io$mem_addr),
        .io$mem_data(decoder$io$mem_data),
        .io$out_valid(decoder$io$out_valid),
        .io$out_index(decoder$io$out_index),
        .io$out_col(decoder$io$out_col),
        .io$out_last(decoder$io$out_last),
        .io$out_skip(decoder$io$out_skip),
        .io$busy(decoder$io$busy),
        .io$error(decoder$io$error),
        .io$err_code(decoder$io$err_code),
        .io$err_row(decoder$io$err_row),
        .io$err_col(decoder$io$err_col)
    );
    bs_accel_p1_serial$array$lanes$0$stream stream(
        .read_address(stream$read_address),
        .read_clock(stream$read_clock),
        .read_data(stream$read_data),
        .write_address(stream$write_address),
        .write_clock(stream$write_clock),
        .write_data(stream$write_data),
        .write_enable(stream$write_enable)
    );
    bs_accel_p1_serial$array$lanes$0$stream_sp stream_sp(
        .clock(stream_sp$clock),
        .address(stream_sp$address),
        .write_data(stream_sp$write_data),
        .write_enable(stream_sp$write_enable),
        .read_data(stream_sp$read_data)
    );
    bs_accel_p1_serial$array$lanes$0$vmap vmap(
        .clock(vmap$clock),
        .read_index(vmap$read_index),
        .weight(vmap$weight),
        .write_enable(vmap$write_enable),
        .write_index(vmap$write_index),
        .write_weight(vmap$write_weight)
    );
    bs_accel_p1_serial$array$lanes$0$act act(
        .read_address(act$read_address),
        .read_clock(act$read_clock),
        .read_data(act$read_data),
        .write_address(act$write_address),
        .write_clock(act$write_clock),
        .write_data(act$write_data),
        .write_enable(act$write_enable)
    );
    bs_accel_p1_serial$array$lanes$0$len_p len_p(
        .d(len_p$d),
        .q(len_p$q),
        .clock(len_p$clock)
    );
    bs_accel_p1_serial$array$lanes$0$len len(
        .d(len$d),
        .q(len$q),
        .clock(len$clock)
    );
    bs_accel_p1_serial$array$lanes$0$len_bad len_bad(
        .d(len_bad$d),
        .q(len_bad$q),
        .clock(len_bad$clock)
    );
    bs_accel_p1_serial$array$lanes$0$m1_valid m1_valid(
        .d(m1_valid$d),
        .q(m1_valid$q),
        .clock(m1_valid$clock)
    );
    bs_accel_p1_serial$array$lanes$0$m1_last m1_last(
        .d(m1_last$d),
        .q(m1_last$q),
        .clock(m1_last$clock)
    );
    bs_accel_p1_serial$array$lanes$0$m1_idx m1_idx(
        .d(m1_idx$d),
        .q(m1_idx$q),
        .clock(m1_idx$clock)
    );
    bs_accel_p1_serial$array$lanes$0$m1_col m1_col(
        .d(m1_col$d),
        .q(m1_col$q),
        .clock(m1_col$clock)
    );
    bs_accel_p1_serial$array$lanes$0$m2_valid m2_valid(
        .d(m2_valid$d),
        .q(m2_valid$q),
        .clock(m2_valid$clock)
    );
    bs_accel_p1_serial$array$lanes$0$m2_last m2_last(
        .d(m2_last$d),
        .q(m2_last$q),
        .clock(m2_last$clock)
    );
    bs_accel_p1_serial$array$lanes$0$m2_nz m2_nz(
        .d(m2_nz$d),
        .q(m2_nz$q),
        .clock(m2_nz$clock)
    );
    bs_accel_p1_serial$array$lanes$0$m3_valid m3_valid(
        .d(m3_valid$d),
        .q(m3_valid$q),
        .clock(m3_valid$clock)
    );
    bs_accel_p1_serial$array$lanes$0$m3_last m3_last(
        .d(m3_last$d),
        .q(m3_last$q),
        .clock(m3_last$clock)
    );
    bs_accel_p1_serial$array$lanes$0$m3_nz m3_nz(
        .d(m3_nz$d),
        .q(m3_nz$q),
        .clock(m3_nz$clock)
    );
    bs_accel_p1_serial$array$lanes$0$acc_lo acc_lo(
        .d(acc_lo$d),
        .q(acc_lo$q),
        .clock(acc_lo$clock)
    );
    bs_accel_p1_serial$array$lanes$0$acc_hi acc_hi(
        .d(acc_hi$d),
        .q(acc_hi$q),
        .clock(acc_hi$clock)
    );
    bs_accel_p1_serial$array$lanes$0$cy cy(
        .d(cy$d),
        .q(cy$q),
        .clock(cy$clock)
    );
    bs_accel_p1_serial$array$lanes$0$ph ph(
        .d(ph$d),
        .q(ph$q),
        .clock(ph$clock)
    );
    bs_accel_p1_serial$array$lanes$0$res_lo res_lo(
        .d(res_lo$d),
        .q(res_lo$q),
        .clock(res_lo$clock)
    );
    bs_accel_p1_serial$array$lanes$0$flush flush(
        .d(flush$d),
        .q(flush$q),
        .clock(flush$clock)
    );
    bs_accel_p1_serial$array$lanes$0$pending pending(
        .d(pending$d),
        .q(pending$q),
        .clock(pending$clock)
    );
    bs_accel_p1_serial$array$lanes$0$res_acc res_acc(
        .d(res_acc$d),
        .q(res_acc$q),
        .clock(res_acc$clock)
    );
    bs_accel_p1_serial$array$lanes$0$res_row res_row(
        .d(res_row$d),
        .q(res_row$q),
        .clock(res_row$clock)
    );
    bs_accel_p1_serial$array$lanes$0$res_brow res_brow(
        .d(res_brow$d),
        .q(res_brow$q),
        .clock(res_brow$clock)
    );
    bs_accel_p1_serial$array$lanes$0$row_g row_g(
        .d(row_g$d),
        .q(row_g$q),
        .clock(row_g$clock)
    );
    bs_accel_p1_serial$array$lanes$0$lb_q lb_q(
        .d(lb_q$d),
        .q(lb_q$q),
        .clock(lb_q$clock)
    );
    bs_accel_p1_serial$array$lanes$0$stall_r stall_r(
        .d(stall_r$d),
        .q(stall_r$q),
        .clock(stall_r$clock)
    );
    bs_accel_p1_serial$array$lanes$0$mul mul(
        .clock(mul$clock),
        .enable(mul$enable),
        .a(mul$a),
        .b(mul$b),
        .p(mul$p)
    );
    bs_accel_p1_serial$array$lanes$0$nz_me nz_me(
        .d(nz_me$d),
        .q(nz_me$q),
        .clock(nz_me$clock)
    );
    bs_accel_p1_serial$array$lanes$0$zm_me zm_me(
        .d(zm_me$d),
        .q(zm_me$q),
        .clock(zm_me$clock)
    );
    bs_accel_p1_serial$array$lanes$0$skip_me skip_me(
        .d(skip_me$d),
        .q(skip_me$q),
        .clock(skip_me$clock)
    );
    bs_accel_p1_serial$array$lanes$0$stall_me stall_me(
        .d(stall_me$d),
        .q(stall_me$q),
        .clock(stall_me$clock)
    );
    
    // Update code
    always @(*) begin
        len$clock = clock;
        len_p$clock = clock;
        len_bad$clock = clock;
        m1_valid$clock = clock;
        m1_last$clock = clock;
        m1_idx$clock = clock;
        m1_col$clock = clock;
        m2_valid$clock = clock;
        m2_last$clock = clock;
        m2_nz$clock = clock;
        m3_valid$clock = clock;
        m3_last$clock = clock;
        m3_nz$clock = clock;
        acc_lo$clock = clock;
        acc_hi$clock = clock;
        cy$clock = clock;
        ph$clock = clock;
        res_lo$clock = clock;
        flush$clock = clock;
        pending$clock = clock;
        stall_r$clock = clock;
        res_acc$clock = clock;
        res_row$clock = clock;
        res_brow$clock = clock;
        row_g$clock = clock;
        lb_q$clock = clock;
        nz_me$clock = clock;
        zm_me$clock = clock;
        skip_me$clock = clock;
        stall_me$clock = clock;
        len$d = len$q;
        len_p$d = len_p$q;
        len_bad$d = len_bad$q;
        m1_valid$d = m1_valid$q;
        m1_last$d = m1_last$q;
        m1_idx$d = m1_idx$q;
        m1_col$d = m1_col$q;
        m2_valid$d = m2_valid$q;
        m2_last$d = m2_last$q;
        m2_nz$d = m2_nz$q;
        m3_valid$d = m3_valid$q;
        m3_last$d = m3_last$q;
        m3_nz$d = m3_nz$q;
        acc_lo$d = acc_lo$q;
        acc_hi$d = acc_hi$q;
        cy$d = cy$q;
        ph$d = ph$q;
        res_lo$d = res_lo$q;
        flush$d = flush$q;
        pending$d = pending$q;
        stall_r$d = stall_r$q;
        res_acc$d = res_acc$q;
        res_row$d = res_row$q;
        res_brow$d = res_brow$q;
        row_g$d = row_g$q;
        lb_q$d = lb_q$q;
        nz_me$d = nz_me$q;
        zm_me$d = zm_me$q;
        skip_me$d = skip_me$q;
        stall_me$d = stall_me$q;
        decoder$clock = clock;
        stream$read_clock = clock;
        stream$write_clock = clock;
        stream_sp$clock = clock;
        vmap$clock = clock;
        act$read_clock = clock;
        act$write_clock = clock;
        stream$write_enable = stream_we;
        stream$write_address = ((host_waddr) & 9'h1ff);
        stream$write_data = host_wdata;
        stream_sp$write_enable = stream_we;
        stream_sp$write_data = host_wdata;
        vmap$write_enable = vmap_we;
        vmap$write_index = ((host_waddr) & 8'hff);
        vmap$write_weight = ((host_wdata) & 16'hffff);
        act$write_enable = act_we;
        act$write_address = ((host_waddr) & 9'h1ff);
        act$write_data = ((host_wdata) & 8'hff);
        if (act_wsel) begin
            act$write_enable = 1'b1;
            act$write_address = ((act_waddr) & 9'h1ff);
            if (~hsel) begin
                act$write_address = ((act_waddr) & 9'h1ff) | half_bit;
            end
            act$write_data = act_wdata;
        end
        if (len_we) begin
            len$d = ((host_wdata) & 15'h7fff);
            len_p$d = ((((host_wdata) & 15'h7fff)) & 17'h1ffff) + len_pad;
            len_bad$d = ((host_wdata & stream_hi32) != 32'h0) & (host_wdata != stream_words32);
        end
        rows_sum = rows + rows_pad;
        decoder$io$rows = rows_sum >> lanes_log2;
        decoder$io$start = start;
        decoder$io$abort = abort;
        decoder$io$k = k;
        decoder$io$zero_skip = zero_skip;
        decoder$io$cols = cols;
        decoder$io$stream_len = len$q;
        decoder$io$vmap_len = vmap_len;
        stream$read_address = ((decoder$io$mem_addr) & 9'h1ff) + ((stream_base) & 9'h1ff);
        stream_sp$address = ((decoder$io$mem_addr) & 9'h1ff) + ((stream_base) & 9'h1ff);
        if (stream_we) begin
            stream_sp$address = ((host_waddr) & 9'h1ff);
        end
        decoder$io$mem_data = stream$read_data;
        if (spram) begin
            decoder$io$mem_data = stream_sp$read_data;
        end
        m3_end = m3_valid$q & m3_last$q;
        stall = stall_r$q;
        en = ~stall;
        decoder$io$enable = en;
        vmap$read_index = m1_idx$q;
        act_ra = ((m1_col$q) & 9'h1ff);
        vidx = ((decoder$io$out_index) & 8'hff) + ((vmap_base) & 8'hff);
        if (en) begin
            vmap$read_index = vidx;
            act_ra = ((decoder$io$out_col) & 9'h1ff);
            m1_valid$d = decoder$io$out_valid;
            m1_last$d = decoder$io$out_last;
            m1_idx$d = vidx;
            m1_col$d = decoder$io$out_col;
        end
        act$read_address = act_ra;
        if (hsel) begin
            act$read_address = act_ra | half_bit;
        end
        mul$clock = clock;
        mul$enable = en;
        wv = vmap$weight;
        mul$a = wv;
        mul$b = act$read_data;
        if (en) begin
            m2_valid$d = m1_valid$q;
            m2_last$d = m1_last$q;
            m2_nz$d = wv != 32'h0;
            m3_valid$d = m2_valid$q;
            m3_last$d = m2_last$q;
            m3_nz$d = m2_nz$q;
        end
        sum_lo = ((acc_lo$q) & 17'h1ffff) + ((mul$p[(32'h0)+:(16)]) & 17'h1ffff);
        hi17 = ((((acc_hi$q) & 17'h1ffff) << 32'h1) | 64'h1) + ((((ph$q) & 17'h1ffff) << 32'h1) | ((cy$q) & 17'h1ffff));
        hi_sum = hi17[(32'h1)+:(16)];
        acc_hi$d = hi_sum;
        ph$d = 32'h0;
        cy$d = 1'b0;
        flush$d = 1'b0;
        if (grant) begin
            pending$d = 1'b0;
        end
        if (en & m3_valid$q) begin
            acc_lo$d = ((sum_lo) & 16'hffff);
            cy$d = sum_lo[32'h10];
            ph$d = mul$p[(32'h10)+:(16)];
            if (m3_last$q) begin
                acc_lo$d = 32'h0;
                res_lo$d = ((sum_lo) & 16'hffff);
                flush$d = 1'b1;
                pending$d = 1'b1;
                res_row$d = row_g$q;
                res_brow$d = row_g$q + bias_base;
                row_g$d = row_g$q + lanes_n;
            end
        end
        if (flush$q) begin
            res_acc$d = (((hi_sum) & 32'hffffffff) << 32'h10) | ((res_lo$q) & 32'hffffffff);
            acc_hi$d = 32'h0;
        end
        if (stall_r$q) begin
            stall_r$d = ~grant;
        end
        else begin
            stall_r$d = m2_valid$q & m2_last$q & (m3_end | (pending$q & (~grant)));
        end
        if (start | abort) begin
            stall_r$d = 1'b0;
            m1_valid$d = 1'b0;
            m2_valid$d = 1'b0;
            m3_valid$d = 1'b0;
            acc_lo$d = 32'h0;
            acc_hi$d = 32'h0;
            ph$d = 32'h0;
            cy$d = 1'b0;
            flush$d = 1'b0;
            pending$d = 1'b0;
            row_g$d = ((lane_id) & 11'h7ff);
        end
        pend_out = pend_in;
        if (pending$q) begin
            pend_out = pend_in | lane_bit8;
        end
        res_acc_out = res_acc_in;
        res_row_out = res_row_in;
        res_brow_out = res_brow_in;
        if (grant) begin
            res_acc_out = res_acc_in | res_acc$q;
            res_row_out = res_row_in | res_row$q;
            res_brow_out = res_brow_in | res_brow$q;
        end
        my_busy = decoder$io$busy | decoder$io$out_valid | m1_valid$q | m2_valid$q | m3_valid$q | pending$q;
        busy_out = busy_in | my_busy;
        err_out = err_in;
        err_code_out = err_code_in;
        err_lane_out = err_lane_in;
        err_row_out = err_row_in;
        err_col_out = err_col_in;
        if ((~err_in) & decoder$io$error) begin
            err_out = 1'b1;
            err_code_out = decoder$io$err_code;
            err_lane_out = lane_id;
            err_row_out = (((decoder$io$err_row) & 16'hffff) << lanes_log2) + ((lane_id) & 16'hffff);
            err_col_out = decoder$io$err_col;
        end
        len_end = ((stream_base) & 17'h1ffff) + len_p$q;
        lb_q$d = len_bad$q | len_end[32'h10];
        len_bad_out = len_bad_in | lb_q$q;
        nz_me$d = 1'b0;
        zm_me$d = 1'b0;
        if (en & m3_valid$q) begin
            if (m3_nz$q) begin
                nz_me$d = 1'b1;
            end
            else begin
                zm_me$d = 1'b1;
            end
        end
        skip_me$d = 32'h0;
        if (en & decoder$io$out_valid) begin
            skip_me$d = decoder$io$out_skip;
        end
        stall_me$d = 1'b0;
        if (stall) begin
            stall_me$d = 1'b1;
        end
        nz_out = nz_in + ((nz_me$q) & 4'hf);
        zm_out = zm_in + ((zm_me$q) & 4'hf);
        skip_out = skip_in + ((skip_me$q) & 8'hff);
        stall_out = stall_in + ((stall_me$q) & 4'hf);
    end
    
endmodule // bs_accel_p1_serial$array$lanes$0


module bs_accel_p1_serial$array$lanes$0$acc_hi(d,q,clock);
    
    // Module arguments
    input wire  [15:0] d;
    output reg  [15:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 16'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$acc_hi


module bs_accel_p1_serial$array$lanes$0$acc_lo(d,q,clock);
    
    // Module arguments
    input wire  [15:0] d;
    output reg  [15:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 16'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$acc_lo


module bs_accel_p1_serial$array$lanes$0$act(read_address,read_clock,read_data,write_address,write_clock,write_data,write_enable);
    
    // Module arguments
    input wire  [8:0] read_address;
    input wire  read_clock;
    output reg  [7:0] read_data;
    input wire  [8:0] write_address;
    input wire  write_clock;
    input wire  [7:0] write_data;
    input wire  write_enable;
    
    // Update code (custom)
    (* no_rw_check *) reg [7:0] mem [511:0];
    
    always @(posedge read_clock) begin
       read_data <= mem[read_address];
    end
    
    always @(posedge write_clock) begin
       if (write_enable) begin
          mem[write_address] <= write_data;
       end
    end
endmodule // bs_accel_p1_serial$array$lanes$0$act


module bs_accel_p1_serial$array$lanes$0$cy(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$cy


module bs_accel_p1_serial$array$lanes$0$decoder(clock,io$start,io$abort,io$enable,io$k,io$zero_skip,io$cols,io$rows,io$stream_len,io$vmap_len,io$mem_addr,io$mem_data,io$out_valid,io$out_index,io$out_col,io$out_last,io$out_skip,io$busy,io$error,io$err_code,io$err_row,io$err_col);
    
    // Module arguments
    input wire  clock;
    input wire  io$start;
    input wire  io$abort;
    input wire  io$enable;
    input wire  [2:0] io$k;
    input wire  io$zero_skip;
    input wire  [11:0] io$cols;
    input wire  [11:0] io$rows;
    input wire  [14:0] io$stream_len;
    input wire  [12:0] io$vmap_len;
    output wire  [13:0] io$mem_addr;
    input wire  [31:0] io$mem_data;
    output wire  io$out_valid;
    output wire  [15:0] io$out_index;
    output wire  [10:0] io$out_col;
    output wire  io$out_last;
    output wire  [3:0] io$out_skip;
    output wire  io$busy;
    output wire  io$error;
    output wire  [3:0] io$err_code;
    output wire  [10:0] io$err_row;
    output wire  [10:0] io$err_col;
    
    // Stub signals
    reg  serial$0$clock;
    
    // Sub module instances
    bs_accel_p1_serial$array$lanes$0$decoder$serial$0 serial$0(
        .clock(serial$0$clock),
        .io$start(io$start),
        .io$abort(io$abort),
        .io$enable(io$enable),
        .io$k(io$k),
        .io$zero_skip(io$zero_skip),
        .io$cols(io$cols),
        .io$rows(io$rows),
        .io$stream_len(io$stream_len),
        .io$vmap_len(io$vmap_len),
        .io$mem_addr(io$mem_addr),
        .io$mem_data(io$mem_data),
        .io$out_valid(io$out_valid),
        .io$out_index(io$out_index),
        .io$out_col(io$out_col),
        .io$out_last(io$out_last),
        .io$out_skip(io$out_skip),
        .io$busy(io$busy),
        .io$error(io$error),
        .io$err_code(io$err_code),
        .io$err_row(io$err_row),
        .io$err_col(io$err_col)
    );
    
    // Update code
    always @(*) begin
        serial$0$clock = clock;
    end
    
endmodule // bs_accel_p1_serial$array$lanes$0$decoder


module bs_accel_p1_serial$array$lanes$0$decoder$serial$0(clock,io$start,io$abort,io$enable,io$k,io$zero_skip,io$cols,io$rows,io$stream_len,io$vmap_len,io$mem_addr,io$mem_data,io$out_valid,io$out_index,io$out_col,io$out_last,io$out_skip,io$busy,io$error,io$err_code,io$err_row,io$err_col);
    
    // Module arguments
    input wire  clock;
    input wire  io$start;
    input wire  io$abort;
    input wire  io$enable;
    input wire  [2:0] io$k;
    input wire  io$zero_skip;
    input wire  [11:0] io$cols;
    input wire  [11:0] io$rows;
    input wire  [14:0] io$stream_len;
    input wire  [12:0] io$vmap_len;
    output reg  [13:0] io$mem_addr;
    input wire  [31:0] io$mem_data;
    output reg  io$out_valid;
    output reg  [15:0] io$out_index;
    output reg  [10:0] io$out_col;
    output reg  io$out_last;
    output reg  [3:0] io$out_skip;
    output reg  io$busy;
    output reg  io$error;
    output reg  [3:0] io$err_code;
    output reg  [10:0] io$err_row;
    output reg  [10:0] io$err_col;
    
    // Constant declarations
    localparam  m_last = 4'ha;
    localparam  one16 = 16'h1;
    
    // Stub signals
    reg  [31:0] sr$d;
    wire  [31:0] sr$q;
    reg  sr$clock;
    reg  [4:0] cnt$d;
    wire  [4:0] cnt$q;
    reg  cnt$clock;
    reg  have$d;
    wire  have$q;
    reg  have$clock;
    reg  lastb$d;
    wire  lastb$q;
    reg  lastb$clock;
    reg  rdy$d;
    wire  rdy$q;
    reg  rdy$clock;
    reg  [14:0] faddr$d;
    wire  [14:0] faddr$q;
    reg  faddr$clock;
    reg  more$d;
    wire  more$q;
    reg  more$clock;
    reg  active$d;
    wire  active$q;
    reg  active$clock;
    reg  run$d;
    wire  run$q;
    reg  run$clock;
    reg  info$d;
    wire  info$q;
    reg  info$clock;
    reg  [3:0] m$d;
    wire  [3:0] m$q;
    reg  m$clock;
    reg  mmax$d;
    wire  mmax$q;
    reg  mmax$clock;
    reg  [4:0] rem$d;
    wire  [4:0] rem$q;
    reg  rem$clock;
    reg  fin$d;
    wire  fin$q;
    reg  fin$clock;
    reg  fin1$d;
    wire  fin1$q;
    reg  fin1$clock;
    reg  [13:0] n$d;
    wire  [13:0] n$q;
    reg  n$clock;
    reg  nov$d;
    wire  nov$q;
    reg  nov$clock;
    reg  [10:0] cleft$d;
    wire  [10:0] cleft$q;
    reg  cleft$clock;
    reg  atl$d;
    wire  atl$q;
    reg  atl$clock;
    reg  [11:0] rows_left$d;
    wire  [11:0] rows_left$q;
    reg  rows_left$clock;
    reg  lastrow$d;
    wire  lastrow$q;
    reg  lastrow$clock;
    reg  rz$d;
    wire  rz$q;
    reg  rz$clock;
    reg  [13:0] nlim$d;
    wire  [13:0] nlim$q;
    reg  nlim$clock;
    reg  c_valid$d;
    wire  c_valid$q;
    reg  c_valid$clock;
    reg  [12:0] c_index$d;
    wire  [12:0] c_index$q;
    reg  c_index$clock;
    reg  c_bad$d;
    wire  c_bad$q;
    reg  c_bad$clock;
    reg  v0$d;
    wire  v0$q;
    reg  v0$clock;
    reg  v1$d;
    wire  v1$q;
    reg  v1$clock;
    reg  v2$d;
    wire  v2$q;
    reg  v2$clock;
    reg  v3$d;
    wire  v3$q;
    reg  v3$clock;
    reg  [12:0] q0_index$d;
    wire  [12:0] q0_index$q;
    reg  q0_index$clock;
    reg  q0_last$d;
    wire  q0_last$q;
    reg  q0_last$clock;
    reg  [10:0] ocol$d;
    wire  [10:0] ocol$q;
    reg  ocol$clock;
    reg  [10:0] orow$d;
    wire  [10:0] orow$q;
    reg  orow$clock;
    reg  [12:0] q1_index$d;
    wire  [12:0] q1_index$q;
    reg  q1_index$clock;
    reg  q1_last$d;
    wire  q1_last$q;
    reg  q1_last$clock;
    reg  [12:0] q2_index$d;
    wire  [12:0] q2_index$q;
    reg  q2_index$clock;
    reg  q2_last$d;
    wire  q2_last$q;
    reg  q2_last$clock;
    reg  [12:0] q3_index$d;
    wire  [12:0] q3_index$q;
    reg  q3_index$clock;
    reg  q3_last$d;
    wire  q3_last$q;
    reg  q3_last$clock;
    reg  e_flag$d;
    wire  e_flag$q;
    reg  e_flag$clock;
    reg  e_pend$d;
    wire  e_pend$q;
    reg  e_pend$clock;
    reg  e_vis$d;
    wire  e_vis$q;
    reg  e_vis$clock;
    reg  [3:0] e_code$d;
    wire  [3:0] e_code$q;
    reg  e_code$clock;
    reg  starve$d;
    wire  starve$q;
    reg  starve$clock;
    reg  long_r$d;
    wire  long_r$q;
    reg  long_r$clock;
    
    // Local signals
    reg  sbit;
    reg  go;
    reg  ld;
    reg  words_left;
    reg  [10:0] cm1;
    reg  k0;
    reg  ends;
    reg  emit;
    reg  c_end;
    reg  clr;
    reg  [13:0] n_shift;
    reg  c_last_cw;
    reg  rec;
    reg  room;
    reg  [15:0] pow2k;
    reg  idx_err;
    reg  push;
    reg  pop;
    
    // Sub module instances
    bs_accel_p1_serial$array$lanes$0$decoder$serial$0$sr sr(
        .d(sr$d),
        .q(sr$q),
        .clock(sr$clock)
    );
    bs_accel_p1_serial$array$lanes$0$decoder$serial$0$cnt cnt(
        .d(cnt$d),
        .q(cnt$q),
        .clock(cnt$clock)
    );
    bs_accel_p1_serial$array$lanes$0$decoder$serial$0$have have(
        .d(have$d),
        .q(have$q),
        .clock(have$clock)
    );
    bs_accel_p1_serial$array$lanes$0$decoder$serial$0$lastb lastb(
        .d(lastb$d),
        .q(lastb$q),
        .clock(lastb$clock)
    );
    bs_accel_p1_serial$array$lanes$0$decoder$serial$0$rdy rdy(
        .d(rdy$d),
        .q(rdy$q),
        .clock(rdy$clock)
    );
    bs_accel_p1_serial$array$lanes$0$decoder$serial$0$faddr faddr(
        .d(faddr$d),
        .q(faddr$q),
        .clock(faddr$clock)
    );
    bs_accel_p1_serial$array$lanes$0$decoder$serial$0$more more(
        .d(more$d),
        .q(more$q),
        .clock(more$clock)
    );
    bs_accel_p1_serial$array$lanes$0$decoder$serial$0$active active(
        .d(active$d),
        .q(active$q),
        .clock(active$clock)
    );
    bs_accel_p1_serial$array$lanes$0$decoder$serial$0$run run(
        .d(run$d),
        .q(run$q),
        .clock(run$clock)
    );
    bs_accel_p1_serial$array$lanes$0$decoder$serial$0$info info(
        .d(info$d),
        .q(info$q),
        .clock(info$clock)
    );
    bs_accel_p1_serial$array$lanes$0$decoder$serial$0$m m(
        .d(m$d),
        .q(m$q),
        .clock(m$clock)
    );
    bs_accel_p1_serial$array$lanes$0$decoder$serial$0$mmax mmax(
        .d(mmax$d),
        .q(mmax$q),
        .clock(mmax$clock)
    );
    bs_accel_p1_serial$array$lanes$0$decoder$serial$0$rem rem(
        .d(rem$d),
        .q(rem$q),
        .clock(rem$clock)
    );
    bs_accel_p1_serial$array$lanes$0$decoder$serial$0$fin fin(
        .d(fin$d),
        .q(fin$q),
        .clock(fin$clock)
    );
    bs_accel_p1_serial$array$lanes$0$decoder$serial$0$fin1 fin1(
        .d(fin1$d),
        .q(fin1$q),
        .clock(fin1$clock)
    );
    bs_accel_p1_serial$array$lanes$0$decoder$serial$0$n n(
        .d(n$d),
        .q(n$q),
        .clock(n$clock)
    );
    bs_accel_p1_serial$array$lanes$0$decoder$serial$0$nov nov(
        .d(nov$d),
        .q(nov$q),
        .clock(nov$clock)
    );
    bs_accel_p1_serial$array$lanes$0$decoder$serial$0$cleft cleft(
        .d(cleft$d),
        .q(cleft$q),
        .clock(cleft$clock)
    );
    bs_accel_p1_serial$array$lanes$0$decoder$serial$0$atl atl(
        .d(atl$d),
        .q(atl$q),
        .clock(atl$clock)
    );
    bs_accel_p1_serial$array$lanes$0$decoder$serial$0$rows_left rows_left(
        .d(rows_left$d),
        .q(rows_left$q),
        .clock(rows_left$clock)
    );
    bs_accel_p1_serial$array$lanes$0$decoder$serial$0$lastrow lastrow(
        .d(lastrow$d),
        .q(lastrow$q),
        .clock(lastrow$clock)
    );
    bs_accel_p1_serial$array$lanes$0$decoder$serial$0$rz rz(
        .d(rz$d),
        .q(rz$q),
        .clock(rz$clock)
    );
    bs_accel_p1_serial$array$lanes$0$decoder$serial$0$nlim nlim(
        .d(nlim$d),
        .q(nlim$q),
        .clock(nlim$clock)
    );
    bs_accel_p1_serial$array$lanes$0$decoder$serial$0$c_valid c_valid(
        .d(c_valid$d),
        .q(c_valid$q),
        .clock(c_valid$clock)
    );
    bs_accel_p1_serial$array$lanes$0$decoder$serial$0$c_index c_index(
        .d(c_index$d),
        .q(c_index$q),
        .clock(c_index$clock)
    );
    bs_accel_p1_serial$array$lanes$0$decoder$serial$0$c_bad c_bad(
        .d(c_bad$d),
        .q(c_bad$q),
        .clock(c_bad$clock)
    );
    bs_accel_p1_serial$array$lanes$0$decoder$serial$0$v0 v0(
        .d(v0$d),
        .q(v0$q),
        .clock(v0$clock)
    );
    bs_accel_p1_serial$array$lanes$0$decoder$serial$0$v1 v1(
        .d(v1$d),
        .q(v1$q),
        .clock(v1$clock)
    );
    bs_accel_p1_serial$array$lanes$0$decoder$serial$0$v2 v2(
        .d(v2$d),
        .q(v2$q),
        .clock(v2$clock)
    );
    bs_accel_p1_serial$array$lanes$0$decoder$serial$0$v3 v3(
        .d(v3$d),
        .q(v3$q),
        .clock(v3$clock)
    );
    bs_accel_p1_serial$array$lanes$0$decoder$serial$0$q0_index q0_index(
        .d(q0_index$d),
        .q(q0_index$q),
        .clock(q0_index$clock)
    );
    bs_accel_p1_serial$array$lanes$0$decoder$serial$0$q0_last q0_last(
        .d(q0_last$d),
        .q(q0_last$q),
        .clock(q0_last$clock)
    );
    bs_accel_p1_serial$array$lanes$0$decoder$serial$0$ocol ocol(
        .d(ocol$d),
        .q(ocol$q),
        .clock(ocol$clock)
    );
    bs_accel_p1_serial$array$lanes$0$decoder$serial$0$orow orow(
        .d(orow$d),
        .q(orow$q),
        .clock(orow$clock)
    );
    bs_accel_p1_serial$array$lanes$0$decoder$serial$0$q1_index q1_index(
        .d(q1_index$d),
        .q(q1_index$q),
        .clock(q1_index$clock)
    );
    bs_accel_p1_serial$array$lanes$0$decoder$serial$0$q1_last q1_last(
        .d(q1_last$d),
        .q(q1_last$q),
        .clock(q1_last$clock)
    );
    bs_accel_p1_serial$array$lanes$0$decoder$serial$0$q2_index q2_index(
        .d(q2_index$d),
        .q(q2_index$q),
        .clock(q2_index$clock)
    );
    bs_accel_p1_serial$array$lanes$0$decoder$serial$0$q2_last q2_last(
        .d(q2_last$d),
        .q(q2_last$q),
        .clock(q2_last$clock)
    );
    bs_accel_p1_serial$array$lanes$0$decoder$serial$0$q3_index q3_index(
        .d(q3_index$d),
        .q(q3_index$q),
        .clock(q3_index$clock)
    );
    bs_accel_p1_serial$array$lanes$0$decoder$serial$0$q3_last q3_last(
        .d(q3_last$d),
        .q(q3_last$q),
        .clock(q3_last$clock)
    );
    bs_accel_p1_serial$array$lanes$0$decoder$serial$0$e_flag e_flag(
        .d(e_flag$d),
        .q(e_flag$q),
        .clock(e_flag$clock)
    );
    bs_accel_p1_serial$array$lanes$0$decoder$serial$0$e_pend e_pend(
        .d(e_pend$d),
        .q(e_pend$q),
        .clock(e_pend$clock)
    );
    bs_accel_p1_serial$array$lanes$0$decoder$serial$0$e_vis e_vis(
        .d(e_vis$d),
        .q(e_vis$q),
        .clock(e_vis$clock)
    );
    bs_accel_p1_serial$array$lanes$0$decoder$serial$0$e_code e_code(
        .d(e_code$d),
        .q(e_code$q),
        .clock(e_code$clock)
    );
    bs_accel_p1_serial$array$lanes$0$decoder$serial$0$starve starve(
        .d(starve$d),
        .q(starve$q),
        .clock(starve$clock)
    );
    bs_accel_p1_serial$array$lanes$0$decoder$serial$0$long_r long_r(
        .d(long_r$d),
        .q(long_r$q),
        .clock(long_r$clock)
    );
    
    // Update code
    always @(*) begin
        sr$clock = clock;
        cnt$clock = clock;
        have$clock = clock;
        lastb$clock = clock;
        rdy$clock = clock;
        faddr$clock = clock;
        more$clock = clock;
        active$clock = clock;
        run$clock = clock;
        info$clock = clock;
        m$clock = clock;
        mmax$clock = clock;
        rem$clock = clock;
        fin$clock = clock;
        fin1$clock = clock;
        n$clock = clock;
        nov$clock = clock;
        cleft$clock = clock;
        atl$clock = clock;
        rows_left$clock = clock;
        lastrow$clock = clock;
        rz$clock = clock;
        nlim$clock = clock;
        c_valid$clock = clock;
        c_index$clock = clock;
        c_bad$clock = clock;
        v0$clock = clock;
        v1$clock = clock;
        v2$clock = clock;
        v3$clock = clock;
        q0_index$clock = clock;
        q0_last$clock = clock;
        ocol$clock = clock;
        orow$clock = clock;
        q1_index$clock = clock;
        q1_last$clock = clock;
        q2_index$clock = clock;
        q2_last$clock = clock;
        q3_index$clock = clock;
        q3_last$clock = clock;
        e_flag$clock = clock;
        e_pend$clock = clock;
        e_vis$clock = clock;
        e_code$clock = clock;
        starve$clock = clock;
        long_r$clock = clock;
        sr$d = sr$q;
        cnt$d = cnt$q;
        have$d = have$q;
        lastb$d = lastb$q;
        rdy$d = rdy$q;
        faddr$d = faddr$q;
        more$d = more$q;
        active$d = active$q;
        run$d = run$q;
        info$d = info$q;
        m$d = m$q;
        mmax$d = mmax$q;
        rem$d = rem$q;
        fin$d = fin$q;
        fin1$d = fin1$q;
        n$d = n$q;
        nov$d = nov$q;
        cleft$d = cleft$q;
        atl$d = atl$q;
        rows_left$d = rows_left$q;
        lastrow$d = lastrow$q;
        rz$d = rz$q;
        nlim$d = nlim$q;
        c_valid$d = c_valid$q;
        c_index$d = c_index$q;
        c_bad$d = c_bad$q;
        v0$d = v0$q;
        v1$d = v1$q;
        v2$d = v2$q;
        v3$d = v3$q;
        q0_index$d = q0_index$q;
        q0_last$d = q0_last$q;
        ocol$d = ocol$q;
        orow$d = orow$q;
        q1_index$d = q1_index$q;
        q1_last$d = q1_last$q;
        q2_index$d = q2_index$q;
        q2_last$d = q2_last$q;
        q3_index$d = q3_index$q;
        q3_last$d = q3_last$q;
        e_flag$d = e_flag$q;
        e_pend$d = e_pend$q;
        e_vis$d = e_vis$q;
        e_code$d = e_code$q;
        starve$d = starve$q;
        long_r$d = long_r$q;
        clr = io$start | io$abort;
        pow2k = one16 << io$k;
        k0 = io$k == 32'h0;
        cm1 = ((io$cols - 32'h1) & 11'h7ff);
        go = run$q & have$q;
        sbit = sr$q[32'h1f];
        ends = fin$q | (fin1$q & sbit);
        emit = go & ends;
        io$mem_addr = ((faddr$q) & 14'h3fff);
        ld = rdy$q & ((~have$q) | (run$q & lastb$q));
        words_left = faddr$q != io$stream_len;
        more$d = words_left;
        rdy$d = (~ld) & words_left;
        if (ld) begin
            faddr$d = faddr$q + 32'h1;
        end
        if (go) begin
            sr$d = sr$q << 32'h1;
            cnt$d = cnt$q - 32'h1;
            lastb$d = cnt$q == 32'h1;
            if (lastb$q) begin
                have$d = 1'b0;
            end
        end
        if (ld) begin
            sr$d = io$mem_data;
            cnt$d = 32'h1f;
            have$d = 1'b1;
            lastb$d = 1'b0;
        end
        n_shift = n$q << 32'h1;
        if (sbit) begin
            n_shift = (n$q << 32'h1) | 64'h1;
        end
        if (go) begin
            n$d = 32'h0;
            nov$d = 1'b0;
            if (info$q & (~fin$q)) begin
                n$d = n_shift;
                nov$d = nov$q | n$q[32'hd];
            end
            if ((~info$q) & sbit & (~fin1$q)) begin
                n$d = 32'h1;
            end
        end
        long_r$d = go & (~info$q) & (~sbit) & mmax$q;
        if (go) begin
            if (info$q) begin
                rem$d = rem$q - 32'h1;
                fin$d = (~fin$q) & (rem$q == 32'h2);
                fin1$d = 1'b0;
                if (fin$q) begin
                    info$d = 1'b0;
                    rem$d = ((io$k) & 5'h1f);
                    fin1$d = k0;
                end
            end
            else begin
                m$d = m$q + 32'h1;
                mmax$d = m$q == m_last;
                rem$d = rem$q + 32'h1;
                fin$d = 1'b0;
                fin1$d = 1'b0;
                if (sbit) begin
                    m$d = 32'h0;
                    mmax$d = 1'b0;
                    rem$d = rem$q;
                    info$d = ~fin1$q;
                    fin$d = (~fin1$q) & (rem$q == 32'h1);
                    fin1$d = fin1$q & k0;
                end
            end
        end
        starve$d = active$q & (~have$q) & (~more$q);
        c_valid$d = emit;
        c_index$d = ((n_shift) & 13'h1fff) - ((pow2k) & 13'h1fff);
        c_bad$d = nov$q | n$q[32'hd] | (n_shift >= nlim$q);
        c_end = c_valid$q & atl$q;
        c_last_cw = c_end & lastrow$q;
        idx_err = c_valid$q & c_bad$q;
        push = c_valid$q & active$q & (~c_bad$q) & (~e_flag$q);
        atl$d = cleft$q == 32'h0;
        lastrow$d = rows_left$q == 32'h1;
        if (c_valid$q) begin
            cleft$d = cleft$q - 32'h1;
            atl$d = cleft$q == 32'h1;
        end
        if (c_end) begin
            cleft$d = cm1;
            atl$d = cm1 == 32'h0;
            rows_left$d = rows_left$q - 32'h1;
            lastrow$d = rows_left$q == 32'h2;
        end
        if (c_last_cw | rz$q) begin
            active$d = 1'b0;
        end
        room = (~v1$q) | ((~v2$q) & (~(c_valid$q & go))) | ((~v3$q) & (~c_valid$q) & (~go));
        run$d = active$q & (~e_flag$q) & room;
        pop = io$enable & v0$q;
        if (pop) begin
            v0$d = v1$q | (push & v0$q);
            v1$d = v2$q | (push & v1$q);
            v2$d = v3$q | (push & v2$q);
            v3$d = push & v3$q;
        end
        else begin
            v0$d = v0$q | push;
            v1$d = v1$q | (push & v0$q);
            v2$d = v2$q | (push & v1$q);
            v3$d = v3$q | (push & v2$q);
        end
        if (pop) begin
            ocol$d = ocol$q + 32'h1;
            if (q0_last$q) begin
                ocol$d = 32'h0;
                orow$d = orow$q + 32'h1;
            end
        end
        if (pop | (~v0$q)) begin
            q0_index$d = c_index$q;
            q0_last$d = atl$q;
            if (pop & v1$q) begin
                q0_index$d = q1_index$q;
                q0_last$d = q1_last$q;
            end
        end
        if (pop | (~v1$q)) begin
            q1_index$d = c_index$q;
            q1_last$d = atl$q;
            if (pop & v2$q) begin
                q1_index$d = q2_index$q;
                q1_last$d = q2_last$q;
            end
        end
        if (pop | (~v2$q)) begin
            q2_index$d = c_index$q;
            q2_last$d = atl$q;
            if (pop & v3$q) begin
                q2_index$d = q3_index$q;
                q2_last$d = q3_last$q;
            end
        end
        if (pop | (~v3$q)) begin
            q3_index$d = c_index$q;
            q3_last$d = atl$q;
        end
        if (~e_flag$q) begin
            e_code$d = 32'h1;
            if (starve$q) begin
                e_code$d = 32'h3;
            end
            if (idx_err) begin
                e_code$d = 32'h2;
            end
        end
        rec = (~e_flag$q) & active$q & (idx_err | starve$q | long_r$q);
        if (rec) begin
            e_flag$d = 1'b1;
            e_pend$d = 1'b1;
        end
        if (e_flag$q) begin
            active$d = 1'b0;
        end
        if (e_flag$q & (~v0$q)) begin
            e_vis$d = 1'b1;
            e_pend$d = 1'b0;
        end
        if (clr) begin
            active$d = io$start;
            run$d = io$start;
            rz$d = io$rows == 32'h0;
            have$d = 1'b0;
            lastb$d = 1'b0;
            rdy$d = 1'b0;
            faddr$d = 32'h0;
            more$d = io$stream_len != 32'h0;
            info$d = 1'b0;
            n$d = 32'h0;
            nov$d = 1'b0;
            m$d = 32'h0;
            mmax$d = 1'b0;
            rem$d = ((io$k) & 5'h1f);
            fin$d = 1'b0;
            fin1$d = io$k == 32'h0;
            ocol$d = 32'h0;
            orow$d = 32'h0;
            cleft$d = cm1;
            nlim$d = ((io$vmap_len) & 14'h3fff) + ((pow2k) & 14'h3fff);
            rows_left$d = io$rows;
            c_valid$d = 1'b0;
            v0$d = 1'b0;
            v1$d = 1'b0;
            v2$d = 1'b0;
            v3$d = 1'b0;
            starve$d = 1'b0;
            long_r$d = 1'b0;
            e_flag$d = 1'b0;
            e_pend$d = 1'b0;
            e_vis$d = 1'b0;
            e_code$d = 32'h0;
        end
        io$out_valid = v0$q;
        io$out_index = ((q0_index$q) & 16'hffff);
        io$out_col = ocol$q;
        io$out_last = q0_last$q;
        io$out_skip = 32'h0;
        io$busy = active$q | c_valid$q | v1$q | e_pend$q;
        io$error = e_vis$q;
        io$err_code = e_code$q;
        io$err_row = orow$q;
        io$err_col = ocol$q;
    end
    
endmodule // bs_accel_p1_serial$array$lanes$0$decoder$serial$0


module bs_accel_p1_serial$array$lanes$0$decoder$serial$0$active(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$decoder$serial$0$active


module bs_accel_p1_serial$array$lanes$0$decoder$serial$0$atl(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$decoder$serial$0$atl


module bs_accel_p1_serial$array$lanes$0$decoder$serial$0$c_bad(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$decoder$serial$0$c_bad


module bs_accel_p1_serial$array$lanes$0$decoder$serial$0$c_index(d,q,clock);
    
    // Module arguments
    input wire  [12:0] d;
    output reg  [12:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 13'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$decoder$serial$0$c_index


module bs_accel_p1_serial$array$lanes$0$decoder$serial$0$c_valid(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$decoder$serial$0$c_valid


module bs_accel_p1_serial$array$lanes$0$decoder$serial$0$cleft(d,q,clock);
    
    // Module arguments
    input wire  [10:0] d;
    output reg  [10:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 11'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$decoder$serial$0$cleft


module bs_accel_p1_serial$array$lanes$0$decoder$serial$0$cnt(d,q,clock);
    
    // Module arguments
    input wire  [4:0] d;
    output reg  [4:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 5'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$decoder$serial$0$cnt


module bs_accel_p1_serial$array$lanes$0$decoder$serial$0$e_code(d,q,clock);
    
    // Module arguments
    input wire  [3:0] d;
    output reg  [3:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 4'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$decoder$serial$0$e_code


module bs_accel_p1_serial$array$lanes$0$decoder$serial$0$e_flag(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$decoder$serial$0$e_flag


module bs_accel_p1_serial$array$lanes$0$decoder$serial$0$e_pend(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$decoder$serial$0$e_pend


module bs_accel_p1_serial$array$lanes$0$decoder$serial$0$e_vis(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$decoder$serial$0$e_vis


module bs_accel_p1_serial$array$lanes$0$decoder$serial$0$faddr(d,q,clock);
    
    // Module arguments
    input wire  [14:0] d;
    output reg  [14:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 15'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$decoder$serial$0$faddr


module bs_accel_p1_serial$array$lanes$0$decoder$serial$0$fin(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$decoder$serial$0$fin


module bs_accel_p1_serial$array$lanes$0$decoder$serial$0$fin1(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$decoder$serial$0$fin1


module bs_accel_p1_serial$array$lanes$0$decoder$serial$0$have(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$decoder$serial$0$have


module bs_accel_p1_serial$array$lanes$0$decoder$serial$0$info(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$decoder$serial$0$info


module bs_accel_p1_serial$array$lanes$0$decoder$serial$0$lastb(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$decoder$serial$0$lastb


module bs_accel_p1_serial$array$lanes$0$decoder$serial$0$lastrow(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$decoder$serial$0$lastrow


module bs_accel_p1_serial$array$lanes$0$decoder$serial$0$long_r(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$decoder$serial$0$long_r


module bs_accel_p1_serial$array$lanes$0$decoder$serial$0$m(d,q,clock);
    
    // Module arguments
    input wire  [3:0] d;
    output reg  [3:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 4'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$decoder$serial$0$m


module bs_accel_p1_serial$array$lanes$0$decoder$serial$0$mmax(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$decoder$serial$0$mmax


module bs_accel_p1_serial$array$lanes$0$decoder$serial$0$more(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$decoder$serial$0$more


module bs_accel_p1_serial$array$lanes$0$decoder$serial$0$n(d,q,clock);
    
    // Module arguments
    input wire  [13:0] d;
    output reg  [13:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 14'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$decoder$serial$0$n


module bs_accel_p1_serial$array$lanes$0$decoder$serial$0$nlim(d,q,clock);
    
    // Module arguments
    input wire  [13:0] d;
    output reg  [13:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 14'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$decoder$serial$0$nlim


module bs_accel_p1_serial$array$lanes$0$decoder$serial$0$nov(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$decoder$serial$0$nov


module bs_accel_p1_serial$array$lanes$0$decoder$serial$0$ocol(d,q,clock);
    
    // Module arguments
    input wire  [10:0] d;
    output reg  [10:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 11'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$decoder$serial$0$ocol


module bs_accel_p1_serial$array$lanes$0$decoder$serial$0$orow(d,q,clock);
    
    // Module arguments
    input wire  [10:0] d;
    output reg  [10:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 11'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$decoder$serial$0$orow


module bs_accel_p1_serial$array$lanes$0$decoder$serial$0$q0_index(d,q,clock);
    
    // Module arguments
    input wire  [12:0] d;
    output reg  [12:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 13'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$decoder$serial$0$q0_index


module bs_accel_p1_serial$array$lanes$0$decoder$serial$0$q0_last(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$decoder$serial$0$q0_last


module bs_accel_p1_serial$array$lanes$0$decoder$serial$0$q1_index(d,q,clock);
    
    // Module arguments
    input wire  [12:0] d;
    output reg  [12:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 13'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$decoder$serial$0$q1_index


module bs_accel_p1_serial$array$lanes$0$decoder$serial$0$q1_last(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$decoder$serial$0$q1_last


module bs_accel_p1_serial$array$lanes$0$decoder$serial$0$q2_index(d,q,clock);
    
    // Module arguments
    input wire  [12:0] d;
    output reg  [12:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 13'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$decoder$serial$0$q2_index


module bs_accel_p1_serial$array$lanes$0$decoder$serial$0$q2_last(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$decoder$serial$0$q2_last


module bs_accel_p1_serial$array$lanes$0$decoder$serial$0$q3_index(d,q,clock);
    
    // Module arguments
    input wire  [12:0] d;
    output reg  [12:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 13'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$decoder$serial$0$q3_index


module bs_accel_p1_serial$array$lanes$0$decoder$serial$0$q3_last(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$decoder$serial$0$q3_last


module bs_accel_p1_serial$array$lanes$0$decoder$serial$0$rdy(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$decoder$serial$0$rdy


module bs_accel_p1_serial$array$lanes$0$decoder$serial$0$rem(d,q,clock);
    
    // Module arguments
    input wire  [4:0] d;
    output reg  [4:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 5'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$decoder$serial$0$rem


module bs_accel_p1_serial$array$lanes$0$decoder$serial$0$rows_left(d,q,clock);
    
    // Module arguments
    input wire  [11:0] d;
    output reg  [11:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 12'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$decoder$serial$0$rows_left


module bs_accel_p1_serial$array$lanes$0$decoder$serial$0$run(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$decoder$serial$0$run


module bs_accel_p1_serial$array$lanes$0$decoder$serial$0$rz(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$decoder$serial$0$rz


module bs_accel_p1_serial$array$lanes$0$decoder$serial$0$sr(d,q,clock);
    
    // Module arguments
    input wire  [31:0] d;
    output reg  [31:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 32'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$decoder$serial$0$sr


module bs_accel_p1_serial$array$lanes$0$decoder$serial$0$starve(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$decoder$serial$0$starve


module bs_accel_p1_serial$array$lanes$0$decoder$serial$0$v0(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$decoder$serial$0$v0


module bs_accel_p1_serial$array$lanes$0$decoder$serial$0$v1(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$decoder$serial$0$v1


module bs_accel_p1_serial$array$lanes$0$decoder$serial$0$v2(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$decoder$serial$0$v2


module bs_accel_p1_serial$array$lanes$0$decoder$serial$0$v3(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$decoder$serial$0$v3


module bs_accel_p1_serial$array$lanes$0$flush(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$flush


module bs_accel_p1_serial$array$lanes$0$lb_q(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$lb_q


module bs_accel_p1_serial$array$lanes$0$len(d,q,clock);
    
    // Module arguments
    input wire  [14:0] d;
    output reg  [14:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 15'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$len


module bs_accel_p1_serial$array$lanes$0$len_bad(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$len_bad


module bs_accel_p1_serial$array$lanes$0$len_p(d,q,clock);
    
    // Module arguments
    input wire  [16:0] d;
    output reg  [16:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 17'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$len_p


module bs_accel_p1_serial$array$lanes$0$m1_col(d,q,clock);
    
    // Module arguments
    input wire  [10:0] d;
    output reg  [10:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 11'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$m1_col


module bs_accel_p1_serial$array$lanes$0$m1_idx(d,q,clock);
    
    // Module arguments
    input wire  [7:0] d;
    output reg  [7:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 8'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$m1_idx


module bs_accel_p1_serial$array$lanes$0$m1_last(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$m1_last


module bs_accel_p1_serial$array$lanes$0$m1_valid(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$m1_valid


module bs_accel_p1_serial$array$lanes$0$m2_last(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$m2_last


module bs_accel_p1_serial$array$lanes$0$m2_nz(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$m2_nz


module bs_accel_p1_serial$array$lanes$0$m2_valid(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$m2_valid


module bs_accel_p1_serial$array$lanes$0$m3_last(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$m3_last


module bs_accel_p1_serial$array$lanes$0$m3_nz(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$m3_nz


module bs_accel_p1_serial$array$lanes$0$m3_valid(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$m3_valid


module bs_accel_p1_serial$array$lanes$0$mul(clock,enable,a,b,p);
    
    // Module arguments
    input wire  clock;
    input wire  enable;
    input wire  [15:0] a;
    input wire  [7:0] b;
    output reg  [31:0] p;
    
    // Update code (custom)
    `ifdef BS_LUT_MUL
    reg [19:0] pl;
    reg [19:0] ph;
    wire [31:0] pl_x = {{12{pl[19]}}, pl};
    wire [31:0] ph_x = {{8{ph[19]}}, ph, 4'd0};
    always @(posedge clock) begin
       if (enable) begin
          pl <= $signed(a) * $signed({1'b0, b[3:0]});
          ph <= $signed(a) * $signed(b[7:4]);
          p <= pl_x + ph_x;
       end
    end
    `else
    reg [15:0] a_q;
    reg [7:0] b_q;
    always @(posedge clock) begin
       if (enable) begin
          a_q <= a;
          b_q <= b;
          p <= $signed(a_q) * $signed(b_q);
       end
    end
    `endif
endmodule // bs_accel_p1_serial$array$lanes$0$mul


module bs_accel_p1_serial$array$lanes$0$nz_me(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$nz_me


module bs_accel_p1_serial$array$lanes$0$pending(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$pending


module bs_accel_p1_serial$array$lanes$0$ph(d,q,clock);
    
    // Module arguments
    input wire  [15:0] d;
    output reg  [15:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 16'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$ph


module bs_accel_p1_serial$array$lanes$0$res_acc(d,q,clock);
    
    // Module arguments
    input wire  [31:0] d;
    output reg  [31:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 32'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$res_acc


module bs_accel_p1_serial$array$lanes$0$res_brow(d,q,clock);
    
    // Module arguments
    input wire  [10:0] d;
    output reg  [10:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 11'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$res_brow


module bs_accel_p1_serial$array$lanes$0$res_lo(d,q,clock);
    
    // Module arguments
    input wire  [15:0] d;
    output reg  [15:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 16'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$res_lo


module bs_accel_p1_serial$array$lanes$0$res_row(d,q,clock);
    
    // Module arguments
    input wire  [10:0] d;
    output reg  [10:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 11'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$res_row


module bs_accel_p1_serial$array$lanes$0$row_g(d,q,clock);
    
    // Module arguments
    input wire  [10:0] d;
    output reg  [10:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 11'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$row_g


module bs_accel_p1_serial$array$lanes$0$skip_me(d,q,clock);
    
    // Module arguments
    input wire  [3:0] d;
    output reg  [3:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 4'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$skip_me


module bs_accel_p1_serial$array$lanes$0$stall_me(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$stall_me


module bs_accel_p1_serial$array$lanes$0$stall_r(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$stall_r


module bs_accel_p1_serial$array$lanes$0$stream(read_address,read_clock,read_data,write_address,write_clock,write_data,write_enable);
    
    // Module arguments
    input wire  [8:0] read_address;
    input wire  read_clock;
    output reg  [31:0] read_data;
    input wire  [8:0] write_address;
    input wire  write_clock;
    input wire  [31:0] write_data;
    input wire  write_enable;
    
    // Update code (custom)
    (* no_rw_check *) reg [31:0] mem [511:0];
    
    always @(posedge read_clock) begin
       read_data <= mem[read_address];
    end
    
    always @(posedge write_clock) begin
       if (write_enable) begin
          mem[write_address] <= write_data;
       end
    end
endmodule // bs_accel_p1_serial$array$lanes$0$stream


module bs_accel_p1_serial$array$lanes$0$stream_sp(clock,address,write_data,write_enable,read_data);
    
    // Module arguments
    input wire  clock;
    input wire  [8:0] address;
    input wire  [31:0] write_data;
    input wire  write_enable;
    output reg  [31:0] read_data;
    
    // Update code (custom)
    reg [31:0] mem [511:0];
    always @(posedge clock) begin
       if (write_enable) begin
          mem[address] <= write_data;
       end else begin
          read_data <= mem[address];
       end
    end
endmodule // bs_accel_p1_serial$array$lanes$0$stream_sp


module bs_accel_p1_serial$array$lanes$0$vmap(clock,read_index,weight,write_enable,write_index,write_weight);
    
    // Module arguments
    input wire  clock;
    input wire  [7:0] read_index;
    output reg  [15:0] weight;
    input wire  write_enable;
    input wire  [7:0] write_index;
    input wire  [15:0] write_weight;
    
    // Stub signals
    reg  [7:0] ram$read_address;
    reg  ram$read_clock;
    wire  [15:0] ram$read_data;
    reg  [7:0] ram$write_address;
    reg  ram$write_clock;
    reg  [15:0] ram$write_data;
    reg  ram$write_enable;
    
    // Sub module instances
    bs_accel_p1_serial$array$lanes$0$vmap$ram ram(
        .read_address(ram$read_address),
        .read_clock(ram$read_clock),
        .read_data(ram$read_data),
        .write_address(ram$write_address),
        .write_clock(ram$write_clock),
        .write_data(ram$write_data),
        .write_enable(ram$write_enable)
    );
    
    // Update code
    always @(*) begin
        ram$read_clock = clock;
        ram$write_clock = clock;
        ram$read_address = read_index;
        weight = ram$read_data;
        ram$write_address = write_index;
        ram$write_data = write_weight;
        ram$write_enable = write_enable;
    end
    
endmodule // bs_accel_p1_serial$array$lanes$0$vmap


module bs_accel_p1_serial$array$lanes$0$vmap$ram(read_address,read_clock,read_data,write_address,write_clock,write_data,write_enable);
    
    // Module arguments
    input wire  [7:0] read_address;
    input wire  read_clock;
    output reg  [15:0] read_data;
    input wire  [7:0] write_address;
    input wire  write_clock;
    input wire  [15:0] write_data;
    input wire  write_enable;
    
    // Update code (custom)
    (* no_rw_check *) reg [15:0] mem [255:0];
    
    always @(posedge read_clock) begin
       read_data <= mem[read_address];
    end
    
    always @(posedge write_clock) begin
       if (write_enable) begin
          mem[write_address] <= write_data;
       end
    end
endmodule // bs_accel_p1_serial$array$lanes$0$vmap$ram


module bs_accel_p1_serial$array$lanes$0$zm_me(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$lanes$0$zm_me


module bs_accel_p1_serial$array$outm(read_address,read_clock,read_data,write_address,write_clock,write_data,write_enable);
    
    // Module arguments
    input wire  [7:0] read_address;
    input wire  read_clock;
    output reg  [7:0] read_data;
    input wire  [7:0] write_address;
    input wire  write_clock;
    input wire  [7:0] write_data;
    input wire  write_enable;
    
    // Update code (custom)
    reg[7:0] mem[255:0];
    
    
    
    always @(posedge read_clock) begin
       read_data <= mem[read_address];
    end
    
    always @(posedge write_clock) begin
       if (write_enable) begin
          mem[write_address] <= write_data;
       end
    end
                
endmodule // bs_accel_p1_serial$array$outm


module bs_accel_p1_serial$array$r1_acc(d,q,clock);
    
    // Module arguments
    input wire  [31:0] d;
    output reg  [31:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 32'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$r1_acc


module bs_accel_p1_serial$array$r1_row(d,q,clock);
    
    // Module arguments
    input wire  [10:0] d;
    output reg  [10:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 11'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$r1_row


module bs_accel_p1_serial$array$r1_valid(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$r1_valid


module bs_accel_p1_serial$array$r2_row(d,q,clock);
    
    // Module arguments
    input wire  [10:0] d;
    output reg  [10:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 11'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$r2_row


module bs_accel_p1_serial$array$r2_sum(d,q,clock);
    
    // Module arguments
    input wire  [31:0] d;
    output reg  [31:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 32'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$r2_sum


module bs_accel_p1_serial$array$r2_valid(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$r2_valid


module bs_accel_p1_serial$array$r3_rnd(d,q,clock);
    
    // Module arguments
    input wire  [31:0] d;
    output reg  [31:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 32'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$r3_rnd


module bs_accel_p1_serial$array$r3_row(d,q,clock);
    
    // Module arguments
    input wire  [10:0] d;
    output reg  [10:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 11'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$r3_row


module bs_accel_p1_serial$array$r3_valid(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$r3_valid


module bs_accel_p1_serial$array$r4_lo(d,q,clock);
    
    // Module arguments
    input wire  [14:0] d;
    output reg  [14:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 15'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$r4_lo


module bs_accel_p1_serial$array$r4_ok(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$r4_ok


module bs_accel_p1_serial$array$r4_row(d,q,clock);
    
    // Module arguments
    input wire  [10:0] d;
    output reg  [10:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 11'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$r4_row


module bs_accel_p1_serial$array$r4_sg(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$r4_sg


module bs_accel_p1_serial$array$r4_valid(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$r4_valid


module bs_accel_p1_serial$array$r5_fit(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$r5_fit


module bs_accel_p1_serial$array$r5_row(d,q,clock);
    
    // Module arguments
    input wire  [10:0] d;
    output reg  [10:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 11'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$r5_row


module bs_accel_p1_serial$array$r5_sg(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$r5_sg


module bs_accel_p1_serial$array$r5_valid(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$r5_valid


module bs_accel_p1_serial$array$r5_y(d,q,clock);
    
    // Module arguments
    input wire  [7:0] d;
    output reg  [7:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 8'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$r5_y


module bs_accel_p1_serial$array$r6_row(d,q,clock);
    
    // Module arguments
    input wire  [10:0] d;
    output reg  [10:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 11'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$r6_row


module bs_accel_p1_serial$array$r6_valid(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$r6_valid


module bs_accel_p1_serial$array$r6_y(d,q,clock);
    
    // Module arguments
    input wire  [7:0] d;
    output reg  [7:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 8'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$array$r6_y


module bs_accel_p1_serial$bad_q(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$bad_q


module bs_accel_p1_serial$bbase_big(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$bbase_big


module bs_accel_p1_serial$bend_bad(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$bend_bad


module bs_accel_p1_serial$bias_base(d,q,clock);
    
    // Module arguments
    input wire  [11:0] d;
    output reg  [11:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 12'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$bias_base


module bs_accel_p1_serial$busy(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$busy


module bs_accel_p1_serial$busy_d1(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$busy_d1


module bs_accel_p1_serial$busy_d2(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$busy_d2


module bs_accel_p1_serial$cfg_bad(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$cfg_bad


module bs_accel_p1_serial$cols(d,q,clock);
    
    // Module arguments
    input wire  [11:0] d;
    output reg  [11:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 12'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$cols


module bs_accel_p1_serial$cols_big(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$cols_big


module bs_accel_p1_serial$cycles(d,q,clock);
    
    // Module arguments
    input wire  [31:0] d;
    output reg  [31:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 32'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$cycles


module bs_accel_p1_serial$done(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$done


module bs_accel_p1_serial$err(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$err


module bs_accel_p1_serial$err_code(d,q,clock);
    
    // Module arguments
    input wire  [3:0] d;
    output reg  [3:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 4'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$err_code


module bs_accel_p1_serial$err_col(d,q,clock);
    
    // Module arguments
    input wire  [10:0] d;
    output reg  [10:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 11'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$err_col


module bs_accel_p1_serial$err_fin(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$err_fin


module bs_accel_p1_serial$err_lane(d,q,clock);
    
    // Module arguments
    input wire  [3:0] d;
    output reg  [3:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 4'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$err_lane


module bs_accel_p1_serial$err_row(d,q,clock);
    
    // Module arguments
    input wire  [15:0] d;
    output reg  [15:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 16'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$err_row


module bs_accel_p1_serial$ev_nz(d,q,clock);
    
    // Module arguments
    input wire  [3:0] d;
    output reg  [3:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 4'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$ev_nz


module bs_accel_p1_serial$ev_skip(d,q,clock);
    
    // Module arguments
    input wire  [7:0] d;
    output reg  [7:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 8'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$ev_skip


module bs_accel_p1_serial$ev_stall(d,q,clock);
    
    // Module arguments
    input wire  [3:0] d;
    output reg  [3:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 4'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$ev_stall


module bs_accel_p1_serial$ev_zm(d,q,clock);
    
    // Module arguments
    input wire  [3:0] d;
    output reg  [3:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 4'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$ev_zm


module bs_accel_p1_serial$h_act(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$h_act


module bs_accel_p1_serial$h_addr(d,q,clock);
    
    // Module arguments
    input wire  [15:0] d;
    output reg  [15:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 16'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$h_addr


module bs_accel_p1_serial$h_bias(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$h_bias


module bs_accel_p1_serial$h_ld(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$h_ld


module bs_accel_p1_serial$h_low(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$h_low


module bs_accel_p1_serial$h_out(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$h_out


module bs_accel_p1_serial$h_read(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$h_read


module bs_accel_p1_serial$h_stream(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$h_stream


module bs_accel_p1_serial$h_table(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$h_table


module bs_accel_p1_serial$h_vmap(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$h_vmap


module bs_accel_p1_serial$h_wdata(d,q,clock);
    
    // Module arguments
    input wire  [31:0] d;
    output reg  [31:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 32'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$h_wdata


module bs_accel_p1_serial$hd_gt31(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$hd_gt31


module bs_accel_p1_serial$hd_gt4096(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$hd_gt4096


module bs_accel_p1_serial$hd_gt7(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$hd_gt7


module bs_accel_p1_serial$hd_gt_dim(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$hd_gt_dim


module bs_accel_p1_serial$hd_gt_sw(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$hd_gt_sw


module bs_accel_p1_serial$hd_gt_vmap(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$hd_gt_vmap


module bs_accel_p1_serial$hd_nl_bad(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$hd_nl_bad


module bs_accel_p1_serial$hd_nz(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$hd_nz


module bs_accel_p1_serial$hsel(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$hsel


module bs_accel_p1_serial$k_big(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$k_big


module bs_accel_p1_serial$kq(d,q,clock);
    
    // Module arguments
    input wire  [2:0] d;
    output reg  [2:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 3'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$kq


module bs_accel_p1_serial$ld(clock,load_start,word_valid,word,taken,invalidate,wr,wr_addr,wr_data,model_id,status,blocked);
    
    // Module arguments
    input wire  clock;
    input wire  load_start;
    input wire  word_valid;
    input wire  [31:0] word;
    input wire  taken;
    input wire  invalidate;
    output reg  wr;
    output reg  [15:0] wr_addr;
    output reg  [31:0] wr_data;
    output reg  [31:0] model_id;
    output reg  [31:0] status;
    output reg  blocked;
    
    // Constant declarations
    localparam  magic = 32'h4253494d;
    localparam  version = 32'h2;
    localparam  lanes = 32'h1;
    localparam  caps = 32'h7080809;
    localparam  poly = 32'hedb88320;
    localparam  amin = 16'hf000;
    localparam  a_nl = 16'h23;
    localparam  hdr_words = 16'h5;
    localparam  e_format = 4'h1;
    localparam  e_build = 4'h2;
    localparam  e_length = 4'h3;
    localparam  e_address = 4'h4;
    localparam  e_overrun = 4'h5;
    localparam  e_crc = 4'h6;
    
    // Stub signals
    reg  busy$d;
    wire  busy$q;
    reg  busy$clock;
    reg  ok$d;
    wire  ok$q;
    reg  ok$clock;
    reg  failed$d;
    wire  failed$q;
    reg  failed$clock;
    reg  [3:0] why$d;
    wire  [3:0] why$q;
    reg  why$clock;
    reg  [15:0] idx$d;
    wire  [15:0] idx$q;
    reg  idx$clock;
    reg  body$d;
    wire  body$q;
    reg  body$clock;
    reg  [15:0] total$d;
    wire  [15:0] total$q;
    reg  total$clock;
    reg  in_run$d;
    wire  in_run$q;
    reg  in_run$clock;
    reg  [15:0] addr$d;
    wire  [15:0] addr$q;
    reg  addr$clock;
    reg  [15:0] left$d;
    wire  [15:0] left$q;
    reg  left$clock;
    reg  pend$d;
    wire  pend$q;
    reg  pend$clock;
    reg  [31:0] crc$d;
    wire  [31:0] crc$q;
    reg  crc$clock;
    reg  [31:0] sh$d;
    wire  [31:0] sh$q;
    reg  sh$clock;
    reg  [5:0] nb$d;
    wire  [5:0] nb$q;
    reg  nb$clock;
    reg  wv$d;
    wire  wv$q;
    reg  wv$clock;
    reg  [31:0] wq$d;
    wire  [31:0] wq$q;
    reg  wq$clock;
    reg  fv$d;
    wire  fv$q;
    reg  fv$clock;
    reg  f_magic$d;
    wire  f_magic$q;
    reg  f_magic$clock;
    reg  f_version$d;
    wire  f_version$q;
    reg  f_version$clock;
    reg  f_lanes$d;
    wire  f_lanes$q;
    reg  f_lanes$clock;
    reg  f_caps$d;
    wire  f_caps$q;
    reg  f_caps$clock;
    reg  f_len_bad$d;
    wire  f_len_bad$q;
    reg  f_len_bad$clock;
    reg  f_cnt0$d;
    wire  f_cnt0$q;
    reg  f_cnt0$clock;
    reg  f_crc$d;
    wire  f_crc$q;
    reg  f_crc$clock;
    reg  f_last$d;
    wire  f_last$q;
    reg  f_last$clock;
    reg  f_left1$d;
    wire  f_left1$q;
    reg  f_left1$clock;
    reg  f_addr_ok$d;
    wire  f_addr_ok$q;
    reg  f_addr_ok$clock;
    
    // Local signals
    reg  fail_now;
    reg  [3:0] fail_code;
    reg  [31:0] crc_out;
    
    // Sub module instances
    bs_accel_p1_serial$ld$busy busy(
        .d(busy$d),
        .q(busy$q),
        .clock(busy$clock)
    );
    bs_accel_p1_serial$ld$ok ok(
        .d(ok$d),
        .q(ok$q),
        .clock(ok$clock)
    );
    bs_accel_p1_serial$ld$failed failed(
        .d(failed$d),
        .q(failed$q),
        .clock(failed$clock)
    );
    bs_accel_p1_serial$ld$why why(
        .d(why$d),
        .q(why$q),
        .clock(why$clock)
    );
    bs_accel_p1_serial$ld$idx idx(
        .d(idx$d),
        .q(idx$q),
        .clock(idx$clock)
    );
    bs_accel_p1_serial$ld$body body(
        .d(body$d),
        .q(body$q),
        .clock(body$clock)
    );
    bs_accel_p1_serial$ld$total total(
        .d(total$d),
        .q(total$q),
        .clock(total$clock)
    );
    bs_accel_p1_serial$ld$in_run in_run(
        .d(in_run$d),
        .q(in_run$q),
        .clock(in_run$clock)
    );
    bs_accel_p1_serial$ld$addr addr(
        .d(addr$d),
        .q(addr$q),
        .clock(addr$clock)
    );
    bs_accel_p1_serial$ld$left left(
        .d(left$d),
        .q(left$q),
        .clock(left$clock)
    );
    bs_accel_p1_serial$ld$pend pend(
        .d(pend$d),
        .q(pend$q),
        .clock(pend$clock)
    );
    bs_accel_p1_serial$ld$crc crc(
        .d(crc$d),
        .q(crc$q),
        .clock(crc$clock)
    );
    bs_accel_p1_serial$ld$sh sh(
        .d(sh$d),
        .q(sh$q),
        .clock(sh$clock)
    );
    bs_accel_p1_serial$ld$nb nb(
        .d(nb$d),
        .q(nb$q),
        .clock(nb$clock)
    );
    bs_accel_p1_serial$ld$wv wv(
        .d(wv$d),
        .q(wv$q),
        .clock(wv$clock)
    );
    bs_accel_p1_serial$ld$wq wq(
        .d(wq$d),
        .q(wq$q),
        .clock(wq$clock)
    );
    bs_accel_p1_serial$ld$fv fv(
        .d(fv$d),
        .q(fv$q),
        .clock(fv$clock)
    );
    bs_accel_p1_serial$ld$f_magic f_magic(
        .d(f_magic$d),
        .q(f_magic$q),
        .clock(f_magic$clock)
    );
    bs_accel_p1_serial$ld$f_version f_version(
        .d(f_version$d),
        .q(f_version$q),
        .clock(f_version$clock)
    );
    bs_accel_p1_serial$ld$f_lanes f_lanes(
        .d(f_lanes$d),
        .q(f_lanes$q),
        .clock(f_lanes$clock)
    );
    bs_accel_p1_serial$ld$f_caps f_caps(
        .d(f_caps$d),
        .q(f_caps$q),
        .clock(f_caps$clock)
    );
    bs_accel_p1_serial$ld$f_len_bad f_len_bad(
        .d(f_len_bad$d),
        .q(f_len_bad$q),
        .clock(f_len_bad$clock)
    );
    bs_accel_p1_serial$ld$f_cnt0 f_cnt0(
        .d(f_cnt0$d),
        .q(f_cnt0$q),
        .clock(f_cnt0$clock)
    );
    bs_accel_p1_serial$ld$f_crc f_crc(
        .d(f_crc$d),
        .q(f_crc$q),
        .clock(f_crc$clock)
    );
    bs_accel_p1_serial$ld$f_last f_last(
        .d(f_last$d),
        .q(f_last$q),
        .clock(f_last$clock)
    );
    bs_accel_p1_serial$ld$f_left1 f_left1(
        .d(f_left1$d),
        .q(f_left1$q),
        .clock(f_left1$clock)
    );
    bs_accel_p1_serial$ld$f_addr_ok f_addr_ok(
        .d(f_addr_ok$d),
        .q(f_addr_ok$q),
        .clock(f_addr_ok$clock)
    );
    
    // Update code
    always @(*) begin
        busy$clock = clock;
        ok$clock = clock;
        failed$clock = clock;
        why$clock = clock;
        idx$clock = clock;
        body$clock = clock;
        total$clock = clock;
        in_run$clock = clock;
        addr$clock = clock;
        left$clock = clock;
        pend$clock = clock;
        crc$clock = clock;
        sh$clock = clock;
        nb$clock = clock;
        wv$clock = clock;
        wq$clock = clock;
        fv$clock = clock;
        f_magic$clock = clock;
        f_version$clock = clock;
        f_lanes$clock = clock;
        f_caps$clock = clock;
        f_len_bad$clock = clock;
        f_cnt0$clock = clock;
        f_crc$clock = clock;
        f_last$clock = clock;
        f_left1$clock = clock;
        f_addr_ok$clock = clock;
        busy$d = busy$q;
        ok$d = ok$q;
        failed$d = failed$q;
        why$d = why$q;
        idx$d = idx$q;
        body$d = body$q;
        total$d = total$q;
        in_run$d = in_run$q;
        addr$d = addr$q;
        left$d = left$q;
        pend$d = pend$q;
        crc$d = crc$q;
        sh$d = sh$q;
        nb$d = nb$q;
        wv$d = wv$q;
        wq$d = wq$q;
        fv$d = fv$q;
        f_magic$d = f_magic$q;
        f_version$d = f_version$q;
        f_lanes$d = f_lanes$q;
        f_caps$d = f_caps$q;
        f_len_bad$d = f_len_bad$q;
        f_cnt0$d = f_cnt0$q;
        f_crc$d = f_crc$q;
        f_last$d = f_last$q;
        f_left1$d = f_left1$q;
        f_addr_ok$d = f_addr_ok$q;
        wr = pend$q;
        wr_addr = addr$q;
        wr_data = sh$q;
        crc_out = ~crc$q;
        model_id = 32'h0;
        if (ok$q) begin
            model_id = crc_out;
            if (crc_out == 32'h0) begin
                model_id = 32'h1;
            end
        end
        blocked = busy$q | failed$q;
        status = ((busy$q) & 32'hffffffff) | (((ok$q) & 32'hffffffff) << 32'h1) | (((failed$q) & 32'hffffffff) << 32'h2) | (((why$q) & 32'hffffffff) << 32'h4) | (((idx$q) & 32'hffffffff) << 32'h10);
        if (taken & pend$q) begin
            pend$d = 1'b0;
            addr$d = addr$q + 32'h1;
            nb$d = 32'h20;
        end
        if (nb$q != 32'h0) begin
            crc$d = crc$q >> 32'h1;
            if (crc$q[32'h0] ^ sh$q[32'h0]) begin
                crc$d = (crc$q >> 32'h1) ^ poly;
            end
            sh$d = sh$q >> 32'h1;
            nb$d = nb$q - 32'h1;
        end
        fail_now = 1'b0;
        fail_code = 32'h0;
        wv$d = 1'b0;
        if (word_valid & busy$q) begin
            if ((nb$q != 32'h0) | pend$q | wv$q | fv$q) begin
                fail_now = 1'b1;
                fail_code = e_overrun;
            end
            else begin
                wv$d = 1'b1;
                wq$d = word;
            end
        end
        fv$d = wv$q;
        f_magic$d = wq$q == magic;
        f_version$d = wq$q == version;
        f_lanes$d = wq$q == lanes;
        f_caps$d = wq$q == caps;
        f_len_bad$d = (wq$q[(32'h10)+:(16)] != 32'h0) | (wq$q[(32'h0)+:(16)] < hdr_words);
        f_cnt0$d = wq$q[(32'h0)+:(16)] == 32'h0;
        f_crc$d = crc_out == wq$q;
        f_last$d = body$q & (idx$q == total$q);
        f_left1$d = left$q == 32'h1;
        f_addr_ok$d = ((addr$q & amin) != 32'h0) | (addr$q == a_nl);
        if (fv$q & busy$q) begin
            idx$d = idx$q + 32'h1;
            sh$d = wq$q;
            nb$d = 32'h20;
            if (~body$q) begin
                if (idx$q == 32'h0) begin
                    if (~f_magic$q) begin
                        fail_now = 1'b1;
                        fail_code = e_format;
                    end
                end
                else if (idx$q == 32'h1) begin
                    if (~f_version$q) begin
                        fail_now = 1'b1;
                        fail_code = e_format;
                    end
                end
                else if (idx$q == 32'h2) begin
                    if (~f_lanes$q) begin
                        fail_now = 1'b1;
                        fail_code = e_build;
                    end
                end
                else if (idx$q == 32'h3) begin
                    if (~f_caps$q) begin
                        fail_now = 1'b1;
                        fail_code = e_build;
                    end
                end
                else begin
                    total$d = wq$q[(32'h0)+:(16)];
                    body$d = 1'b1;
                    if (f_len_bad$q) begin
                        fail_now = 1'b1;
                        fail_code = e_length;
                    end
                end
            end
            else if (f_last$q) begin
                nb$d = 32'h0;
                sh$d = sh$q;
                busy$d = 1'b0;
                if (in_run$q) begin
                    fail_now = 1'b1;
                    fail_code = e_length;
                end
                else if (f_crc$q) begin
                    ok$d = 1'b1;
                end
                else begin
                    fail_now = 1'b1;
                    fail_code = e_crc;
                end
            end
            else if (~in_run$q) begin
                addr$d = wq$q[(32'h10)+:(16)];
                left$d = wq$q[(32'h0)+:(16)];
                in_run$d = 1'b1;
                if (f_cnt0$q) begin
                    fail_now = 1'b1;
                    fail_code = e_length;
                end
            end
            else begin
                nb$d = 32'h0;
                left$d = left$q - 32'h1;
                if (f_left1$q) begin
                    in_run$d = 1'b0;
                end
                if (f_addr_ok$q) begin
                    pend$d = 1'b1;
                end
                else begin
                    fail_now = 1'b1;
                    fail_code = e_address;
                end
            end
        end
        if (fail_now) begin
            busy$d = 1'b0;
            failed$d = 1'b1;
            why$d = fail_code;
            pend$d = 1'b0;
        end
        if (invalidate) begin
            busy$d = 1'b0;
            ok$d = 1'b0;
            failed$d = 1'b0;
            why$d = 32'h0;
            pend$d = 1'b0;
            nb$d = 32'h0;
            wv$d = 1'b0;
        end
        if (load_start) begin
            busy$d = 1'b1;
            ok$d = 1'b0;
            failed$d = 1'b0;
            why$d = 32'h0;
            idx$d = 32'h0;
            body$d = 1'b0;
            in_run$d = 1'b0;
            crc$d = 64'hffffffff;
            nb$d = 32'h0;
            pend$d = 1'b0;
            wv$d = 1'b0;
        end
    end
    
endmodule // bs_accel_p1_serial$ld


module bs_accel_p1_serial$ld$addr(d,q,clock);
    
    // Module arguments
    input wire  [15:0] d;
    output reg  [15:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 16'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$ld$addr


module bs_accel_p1_serial$ld$body(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$ld$body


module bs_accel_p1_serial$ld$busy(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$ld$busy


module bs_accel_p1_serial$ld$crc(d,q,clock);
    
    // Module arguments
    input wire  [31:0] d;
    output reg  [31:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 32'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$ld$crc


module bs_accel_p1_serial$ld$f_addr_ok(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$ld$f_addr_ok


module bs_accel_p1_serial$ld$f_caps(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$ld$f_caps


module bs_accel_p1_serial$ld$f_cnt0(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$ld$f_cnt0


module bs_accel_p1_serial$ld$f_crc(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$ld$f_crc


module bs_accel_p1_serial$ld$f_lanes(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$ld$f_lanes


module bs_accel_p1_serial$ld$f_last(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$ld$f_last


module bs_accel_p1_serial$ld$f_left1(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$ld$f_left1


module bs_accel_p1_serial$ld$f_len_bad(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$ld$f_len_bad


module bs_accel_p1_serial$ld$f_magic(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$ld$f_magic


module bs_accel_p1_serial$ld$f_version(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$ld$f_version


module bs_accel_p1_serial$ld$failed(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$ld$failed


module bs_accel_p1_serial$ld$fv(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$ld$fv


module bs_accel_p1_serial$ld$idx(d,q,clock);
    
    // Module arguments
    input wire  [15:0] d;
    output reg  [15:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 16'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$ld$idx


module bs_accel_p1_serial$ld$in_run(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$ld$in_run


module bs_accel_p1_serial$ld$left(d,q,clock);
    
    // Module arguments
    input wire  [15:0] d;
    output reg  [15:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 16'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$ld$left


module bs_accel_p1_serial$ld$nb(d,q,clock);
    
    // Module arguments
    input wire  [5:0] d;
    output reg  [5:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 6'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$ld$nb


module bs_accel_p1_serial$ld$ok(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$ld$ok


module bs_accel_p1_serial$ld$pend(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$ld$pend


module bs_accel_p1_serial$ld$sh(d,q,clock);
    
    // Module arguments
    input wire  [31:0] d;
    output reg  [31:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 32'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$ld$sh


module bs_accel_p1_serial$ld$total(d,q,clock);
    
    // Module arguments
    input wire  [15:0] d;
    output reg  [15:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 16'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$ld$total


module bs_accel_p1_serial$ld$why(d,q,clock);
    
    // Module arguments
    input wire  [3:0] d;
    output reg  [3:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 4'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$ld$why


module bs_accel_p1_serial$ld$wq(d,q,clock);
    
    // Module arguments
    input wire  [31:0] d;
    output reg  [31:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 32'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$ld$wq


module bs_accel_p1_serial$ld$wv(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$ld$wv


module bs_accel_p1_serial$ltab(read_address,read_clock,read_data,write_address,write_clock,write_data,write_enable);
    
    // Module arguments
    input wire  [7:0] read_address;
    input wire  read_clock;
    output reg  [31:0] read_data;
    input wire  [7:0] write_address;
    input wire  write_clock;
    input wire  [31:0] write_data;
    input wire  write_enable;
    
    // Update code (custom)
    (* no_rw_check *) reg [31:0] mem [255:0];
    
    always @(posedge read_clock) begin
       read_data <= mem[read_address];
    end
    
    always @(posedge write_clock) begin
       if (write_enable) begin
          mem[write_address] <= write_data;
       end
    end
endmodule // bs_accel_p1_serial$ltab


module bs_accel_p1_serial$m_more(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$m_more


module bs_accel_p1_serial$mcycles(d,q,clock);
    
    // Module arguments
    input wire  [31:0] d;
    output reg  [31:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 32'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$mcycles


module bs_accel_p1_serial$mgo(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$mgo


module bs_accel_p1_serial$mj(d,q,clock);
    
    // Module arguments
    input wire  [4:0] d;
    output reg  [4:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 5'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$mj


module bs_accel_p1_serial$mlayer(d,q,clock);
    
    // Module arguments
    input wire  [3:0] d;
    output reg  [3:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 4'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$mlayer


module bs_accel_p1_serial$mload(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$mload


module bs_accel_p1_serial$mph(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$mph


module bs_accel_p1_serial$mrun(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$mrun


module bs_accel_p1_serial$mwb(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$mwb


module bs_accel_p1_serial$mwb_addr(d,q,clock);
    
    // Module arguments
    input wire  [7:0] d;
    output reg  [7:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 8'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$mwb_addr


module bs_accel_p1_serial$nl_bad(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$nl_bad


module bs_accel_p1_serial$nlayers(d,q,clock);
    
    // Module arguments
    input wire  [3:0] d;
    output reg  [3:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 4'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$nlayers


module bs_accel_p1_serial$nzmap(read_address,read_clock,read_data,write_address,write_clock,write_data,write_enable);
    
    // Module arguments
    input wire  [7:0] read_address;
    input wire  read_clock;
    output reg  read_data;
    input wire  [7:0] write_address;
    input wire  write_clock;
    input wire  write_data;
    input wire  write_enable;
    
    // Update code (custom)
    (* no_rw_check *) reg [0:0] mem [255:0];
    
    always @(posedge read_clock) begin
       read_data <= mem[read_address];
    end
    
    always @(posedge write_clock) begin
       if (write_enable) begin
          mem[write_address] <= write_data;
       end
    end
endmodule // bs_accel_p1_serial$nzmap


module bs_accel_p1_serial$perf_nz(d,q,clock);
    
    // Module arguments
    input wire  [31:0] d;
    output reg  [31:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 32'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$perf_nz


module bs_accel_p1_serial$perf_skip(d,q,clock);
    
    // Module arguments
    input wire  [31:0] d;
    output reg  [31:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 32'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$perf_skip


module bs_accel_p1_serial$perf_stall(d,q,clock);
    
    // Module arguments
    input wire  [31:0] d;
    output reg  [31:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 32'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$perf_stall


module bs_accel_p1_serial$perf_zm(d,q,clock);
    
    // Module arguments
    input wire  [31:0] d;
    output reg  [31:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 32'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$perf_zm


module bs_accel_p1_serial$rd1_out(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$rd1_out


module bs_accel_p1_serial$rd1_tab(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$rd1_tab


module bs_accel_p1_serial$rd1_val(d,q,clock);
    
    // Module arguments
    input wire  [31:0] d;
    output reg  [31:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 32'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$rd1_val


module bs_accel_p1_serial$rd1_valid(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$rd1_valid


module bs_accel_p1_serial$rdata(d,q,clock);
    
    // Module arguments
    input wire  [31:0] d;
    output reg  [31:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 32'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$rdata


module bs_accel_p1_serial$relu(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$relu


module bs_accel_p1_serial$rows(d,q,clock);
    
    // Module arguments
    input wire  [11:0] d;
    output reg  [11:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 12'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$rows


module bs_accel_p1_serial$rows_big(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$rows_big


module bs_accel_p1_serial$rsel(d,q,clock);
    
    // Module arguments
    input wire  [63:0] d;
    output reg  [63:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 64'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$rsel


module bs_accel_p1_serial$rvalid(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$rvalid


module bs_accel_p1_serial$sbase_big(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$sbase_big


module bs_accel_p1_serial$shift(d,q,clock);
    
    // Module arguments
    input wire  [4:0] d;
    output reg  [4:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 5'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$shift


module bs_accel_p1_serial$shift_big(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$shift_big


module bs_accel_p1_serial$start_req(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$start_req


module bs_accel_p1_serial$start_req2(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$start_req2


module bs_accel_p1_serial$stream_base(d,q,clock);
    
    // Module arguments
    input wire  [14:0] d;
    output reg  [14:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 15'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$stream_base


module bs_accel_p1_serial$vbase_big(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$vbase_big


module bs_accel_p1_serial$vend_bad(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$vend_bad


module bs_accel_p1_serial$vmap_base(d,q,clock);
    
    // Module arguments
    input wire  [12:0] d;
    output reg  [12:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 13'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$vmap_base


module bs_accel_p1_serial$vmap_big(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$vmap_big


module bs_accel_p1_serial$vmap_len(d,q,clock);
    
    // Module arguments
    input wire  [12:0] d;
    output reg  [12:0] q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 13'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$vmap_len


module bs_accel_p1_serial$w_load(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$w_load


module bs_accel_p1_serial$w_model(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$w_model


module bs_accel_p1_serial$w_reset(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$w_reset


module bs_accel_p1_serial$w_start(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$w_start


module bs_accel_p1_serial$wr_e(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$wr_e


module bs_accel_p1_serial$zskip(d,q,clock);
    
    // Module arguments
    input wire  d;
    output reg  q;
    input wire  clock;
    
    // Update code (custom)
    initial begin
       q = 1'h0;
    end
    
    always @(posedge clock) begin
       q <= d;
    end
          
endmodule // bs_accel_p1_serial$zskip
